"""Uploads are checked by decoding them, images are stored re-encoded without EXIF, and /media/
is served with nosniff (documents as attachments), by Django or through nginx's
X-Accel-Redirect, with debug off."""

import zipfile
from io import BytesIO
from urllib.parse import quote

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from communities.core.files import DocumentValidator, PhotoValidator, UploadField
from communities.repairs.models import RepairRequest
from communities.works.models.plans import DesignDocument
from tests.support.factories import make_community
from tests.support.participation import make_plan
from tests.support.repairs import make_image, make_pdf

pytestmark = pytest.mark.django_db

SERVICE_REQUESTS = "/api/v1/service-requests/"
HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _file_a_request(staff_client, photo):
    return staff_client.post(
        SERVICE_REQUESTS,
        {
            "community": make_community().pk,
            "category": "roof_leak",
            "description": "顶楼漏雨",
            "photo": photo,
            "is_public": True,
        },
    )


def _stored_image(repair_request) -> Image.Image:
    with repair_request.photo.open("rb") as stored:
        image = Image.open(BytesIO(stored.read()))
        image.load()
    return image


# --- Photos -----------------------------------------------------------------------------------


def test_jpeg_magic_bytes_followed_by_html_are_refused_as_a_photo(staff_client):
    fake = SimpleUploadedFile("楼道.jpg", b"\xff\xd8\xff\xe0" + HTML, "image/jpeg")

    response = _file_a_request(staff_client, fake)

    assert response.status_code == 400
    assert "photo" in response.json()
    assert not RepairRequest.objects.exists()


@pytest.mark.parametrize(
    ("fmt", "name"), [("JPEG", "楼道.jpg"), ("PNG", "p.png"), ("WEBP", "p.webp")]
)
def test_a_real_photo_with_a_gps_position_is_stored_without_exif(staff_client, fmt, name):
    original = make_image(fmt, gps=True)
    if fmt == "JPEG":  # the fixture really carries the position
        assert Image.open(BytesIO(original)).getexif().get_ifd(0x8825)

    response = _file_a_request(staff_client, SimpleUploadedFile(name, original))

    assert response.status_code == 201, response.content
    stored = _stored_image(RepairRequest.objects.get())
    assert stored.format == fmt
    assert not dict(stored.getexif())
    assert stored.size == (40, 30)


def test_a_jpeg_with_html_appended_is_stored_without_it(staff_client):
    polyglot = make_image("JPEG") + HTML

    response = _file_a_request(staff_client, SimpleUploadedFile("p.jpg", polyglot))

    assert response.status_code == 201
    with RepairRequest.objects.get().photo.open("rb") as stored:
        assert b"<script>" not in stored.read()


def test_a_png_named_jpg_is_stored_under_png():
    request = RepairRequest(photo=SimpleUploadedFile("p.jpg", make_image("PNG")))

    UploadField.pre_save(RepairRequest._meta.get_field("photo"), request, add=True)

    assert request.photo.name.endswith(".png")


@pytest.mark.parametrize(
    "content",
    [b"", HTML, b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, make_image("JPEG")[:200], make_pdf()],
)
def test_the_photo_check_refuses_what_does_not_decode(content):
    with pytest.raises(ValidationError) as error:
        PhotoValidator()(SimpleUploadedFile("p.jpg", content))
    assert error.value.code == "not_an_image"


def test_the_photo_check_refuses_too_many_pixels():
    with pytest.raises(ValidationError) as error:
        PhotoValidator()(SimpleUploadedFile("p.png", make_image("PNG", size=(10_000, 5_001))))
    assert error.value.code == "image_too_large"


# --- Design documents -------------------------------------------------------------------------


def _ooxml(folder: str) -> bytes:
    output = BytesIO()
    with zipfile.ZipFile(output, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr(f"{folder}document.xml", "<document/>")
    return output.getvalue()


VALID_DOCUMENTS = {
    "方案.pdf": make_pdf(),
    "效果图.png": make_image("PNG"),
    "现场.jpg": make_image("JPEG"),
    "说明.docx": _ooxml("word/"),
    "预算.xlsx": _ooxml("xl/"),
    "说明.doc": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504,
    "预算.xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504,
    "总图.dwg": b"AC1032" + b"\x00" * 122,
}


@pytest.mark.parametrize("name", sorted(VALID_DOCUMENTS))
def test_the_document_check_accepts_each_format(name):
    DocumentValidator()(SimpleUploadedFile(name, VALID_DOCUMENTS[name]))


@pytest.mark.parametrize("name", sorted(VALID_DOCUMENTS))
def test_the_document_check_refuses_html_under_each_name(name):
    with pytest.raises(ValidationError) as error:
        DocumentValidator()(SimpleUploadedFile(name, HTML))
    assert error.value.code == "invalid_content"


@pytest.mark.parametrize(
    "content",
    [
        b"%PDF-1.7\n" + HTML + b"\n%%EOF\n",  # the right ends, nothing a PDF is made of between
        make_pdf()[:-6],  # no %%EOF
        make_pdf().replace(b"xref", b"xxxx"),  # no cross-reference table
    ],
)
def test_a_pdf_must_parse(content):
    with pytest.raises(ValidationError):
        DocumentValidator()(SimpleUploadedFile("方案.pdf", content))


def _post_document(staff_client, admin_form_data, name: str, content: bytes):
    plan = make_plan()
    url = reverse("admin:communities_designplan_change", args=[plan.pk])
    data = admin_form_data(staff_client.get(url))
    data.update(
        {
            "documents-TOTAL_FORMS": "1",
            "documents-0-title": "设计方案",
            "documents-0-plan": str(plan.pk),
            "documents-0-file": SimpleUploadedFile(name, content),
        }
    )
    return staff_client.post(url, data)


def test_html_named_pdf_is_refused_as_a_design_document_in_the_admin(
    staff_client, admin_form_data, admin_errors
):
    response = _post_document(staff_client, admin_form_data, "方案.pdf", HTML)

    assert "documents-0-file" in admin_errors(response)
    assert not DesignDocument.objects.exists()


def test_a_real_pdf_is_accepted_as_a_design_document_in_the_admin(staff_client, admin_form_data):
    response = _post_document(staff_client, admin_form_data, "方案.pdf", make_pdf())

    assert response.status_code == 302
    document = DesignDocument.objects.get()
    with document.file.open("rb") as stored:
        assert stored.read() == make_pdf()


def test_html_named_pdf_is_refused_by_the_model():
    document = DesignDocument(
        plan=make_plan(), title="设计方案", file=SimpleUploadedFile("方案.pdf", HTML)
    )
    with pytest.raises(ValidationError) as error:
        document.full_clean()
    assert "file" in error.value.message_dict


def test_an_image_document_is_stored_without_exif(staff_client, admin_form_data):
    response = _post_document(
        staff_client, admin_form_data, "现场.jpg", make_image("JPEG", gps=True)
    )

    assert response.status_code == 302
    with DesignDocument.objects.get().file.open("rb") as stored:
        assert not dict(Image.open(BytesIO(stored.read())).getexif())


# --- Serving /media/ --------------------------------------------------------------------------


@pytest.fixture
def stored(tmp_path):
    (tmp_path / "repair-photos").mkdir()
    (tmp_path / "repair-photos" / "p.jpg").write_bytes(make_image("JPEG"))
    (tmp_path / "design-plans").mkdir()
    (tmp_path / "design-plans" / "方案.pdf").write_bytes(make_pdf())
    (tmp_path / "design-plans" / "page.html").write_bytes(HTML)
    return tmp_path


@pytest.fixture
def production(settings):
    settings.DEBUG = False
    settings.MEDIA_SERVE = True
    settings.MEDIA_ACCEL_REDIRECT = ""
    return settings


def test_a_photo_is_served_with_debug_off_inline_and_nosniff(production, stored):
    response = Client().get("/media/repair-photos/p.jpg")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert not response.get("Content-Disposition", "").startswith("attachment")
    assert b"".join(response.streaming_content) == make_image("JPEG")


@pytest.mark.parametrize(
    ("path", "filename"),
    [("design-plans/方案.pdf", "方案.pdf"), ("design-plans/page.html", "page.html")],
)
def test_a_document_is_served_as_an_attachment(production, stored, path, filename):
    response = Client().get(f"/media/{path}")

    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert quote(filename) in response["Content-Disposition"]


def test_the_photo_url_the_api_hands_out_is_served(production, staff_client):
    response = _file_a_request(staff_client, SimpleUploadedFile("p.jpg", make_image("JPEG")))
    url = response.json()["photo"]

    served = Client().get(url.removeprefix("http://testserver"))

    assert served.status_code == 200
    assert served["Content-Type"] == "image/jpeg"


def test_media_is_not_served_when_turned_off(production, stored):
    production.MEDIA_SERVE = False
    assert Client().get("/media/repair-photos/p.jpg").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/media/../pyproject.toml",
        "/media/%2e%2e/pyproject.toml",
        "/media/missing.jpg",
        "/media/repair-photos/",
        "/media/repair-photos/p.jpg%00.html",
    ],
)
def test_media_outside_the_folder_or_missing_is_not_found(production, stored, path):
    assert Client().get(path).status_code in {400, 404}


def test_media_is_only_read(production, stored):
    assert Client().post("/media/repair-photos/p.jpg").status_code == 405


def test_x_accel_redirect_hands_the_file_to_nginx(production, stored):
    production.MEDIA_ACCEL_REDIRECT = "/protected-media/"

    photo = Client().get("/media/repair-photos/p.jpg")
    document = Client().get("/media/design-plans/方案.pdf")

    assert photo.status_code == 200 and photo.content == b""
    assert photo["X-Accel-Redirect"] == "/protected-media/repair-photos/p.jpg"
    assert photo["Content-Type"] == "image/jpeg"
    assert photo["X-Content-Type-Options"] == "nosniff"
    assert "Content-Disposition" not in photo
    assert document.content == b""
    assert document["X-Accel-Redirect"] == "/protected-media/design-plans/%E6%96%B9%E6%A1%88.pdf"
    assert document["Content-Disposition"].startswith("attachment;")
    assert document["X-Content-Type-Options"] == "nosniff"


def test_x_accel_redirect_answers_404_for_a_missing_file(production, stored):
    production.MEDIA_ACCEL_REDIRECT = "/protected-media/"
    assert Client().get("/media/design-plans/nothing.pdf").status_code == 404
