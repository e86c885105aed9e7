"""Builders for repair requests in every state, through the services as the application makes
them (so every fixture has its deadline, token and timeline)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from communities.repairs import services
from communities.repairs.choices import RepairCategory, RepairSource, RepairStatus
from communities.repairs.models import GridAssignment, RepairRequest
from tests.support.factories import make_community

SHANGHAI = ZoneInfo("Asia/Shanghai")
# A fixed past moment: tests date every step from here, so they never depend on the clock.
T0 = datetime(2025, 6, 2, 9, 0, tzinfo=SHANGHAI)

# Reporter details that must never appear in an anonymous response.
SECRET_NAME = "王秘密"
SECRET_PHONE = "13912345678"


def at(hours: float = 0, *, start: datetime = T0) -> datetime:
    return start + timedelta(hours=hours)


def make_request(
    *,
    state: str = RepairStatus.SUBMITTED,
    community=None,
    start: datetime = T0,
    by=None,
    hours: dict | None = None,
    rating: int = 5,
    **fields,
) -> RepairRequest:
    """A request taken through the lifecycle to ``state``.

    ``hours`` gives the hours after ``start`` of each step: ``dispatch``, ``start``,
    ``resolve``, ``close`` (rating or reject), e.g. ``{"dispatch": 2, "resolve": 30}``.
    """
    steps = {"dispatch": 1, "start": 2, "resolve": 10, "close": 20, **(hours or {})}
    fields.setdefault("category", RepairCategory.PLUMBING)
    fields.setdefault("description", "3号楼2单元楼道水管爆裂，水流到一楼")
    fields.setdefault("source", RepairSource.WECHAT)
    fields.setdefault("reporter_name", SECRET_NAME)
    fields.setdefault("reporter_phone", SECRET_PHONE)
    request = services.repair_request_submit(
        community=community or make_community(), by=by, at=start, **fields
    )
    if state == RepairStatus.SUBMITTED:
        return request
    if state == RepairStatus.REJECTED:
        return services.repair_request_reject(
            repair_request=request, reason="重复报修", by=by, at=at(steps["close"], start=start)
        )
    request = services.repair_request_dispatch(
        repair_request=request, by=by, at=at(steps["dispatch"], start=start)
    )
    if state == RepairStatus.DISPATCHED:
        return request
    request = services.repair_request_start(
        repair_request=request, by=by, at=at(steps["start"], start=start)
    )
    if state == RepairStatus.IN_PROGRESS:
        return request
    request = services.repair_request_resolve(
        repair_request=request, resolution="更换了水管", by=by, at=at(steps["resolve"], start=start)
    )
    if state == RepairStatus.RESOLVED:
        return request
    return services.repair_request_rate(
        repair_request=request,
        rating=rating,
        comment="修得很快",
        by=by,
        at=at(steps["close"], start=start),
    )


def make_inspector(django_user_model, community, *, username: str = "grid-1", started_on=None):
    user = django_user_model.objects.create_user(username, password="pw-grid-9x!", is_staff=True)
    assignment = GridAssignment(
        inspector=user,
        community=community,
        grid="第3网格",
        started_on=started_on or T0.date() - timedelta(days=30),
    )
    assignment.full_clean()
    assignment.save()
    return user


# --- Uploaded files: real ones, as a phone or an office sends them ------------------------------


def make_image(fmt: str = "JPEG", *, size: tuple[int, int] = (40, 30), gps: bool = False) -> bytes:
    """A real, decodable image (``JPEG``, ``PNG`` or ``WEBP``); with ``gps`` its EXIF carries
    the camera and the GPS position of where it was taken, as a phone's photo does."""
    from io import BytesIO

    from PIL import ExifTags, Image

    image = Image.new("RGB", size, (200, 60, 40))
    options = {}
    if gps:
        exif = Image.Exif()
        exif[ExifTags.Base.Make] = "Phone"
        exif[ExifTags.Base.Orientation] = 1
        position = exif.get_ifd(ExifTags.IFD.GPSInfo)
        position[ExifTags.GPS.GPSLatitudeRef] = "N"
        position[ExifTags.GPS.GPSLatitude] = (36.0, 11.0, 24.0)
        position[ExifTags.GPS.GPSLongitudeRef] = "E"
        position[ExifTags.GPS.GPSLongitude] = (117.0, 7.0, 12.0)
        options["exif"] = exif
    output = BytesIO()
    image.save(output, format=fmt, **options)
    return output.getvalue()


def make_pdf(text: str = "Design plan") -> bytes:
    """A minimal valid one-page PDF, written by hand (header, objects, cross-reference table,
    trailer, ``%%EOF``)."""
    stream = f"BT /F1 12 Tf 20 50 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    body = b"%PDF-1.4\n"
    offsets = []
    for number, content in enumerate(objects, start=1):
        offsets.append(len(body))
        body += b"%d 0 obj\n" % number + content + b"\nendobj\n"
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    body += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    body += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return body
