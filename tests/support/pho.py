"""Builders for community photos (issue 17): image files made with Pillow (with EXIF, GPS
and an orientation when asked), uploads, and saved photos."""

from datetime import date
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

from communities.construction.choices import PhotoPhase
from communities.construction.photo_models import Photo
from tests.support.participation import make_finished_item

GPS = {1: "N", 2: (36.0, 12.0, 0.0), 3: "E", 4: (117.0, 5.0, 0.0)}  # 泰山, 36°12'N 117°05'E


def image_bytes(
    width: int = 320,
    height: int = 200,
    *,
    fmt: str = "JPEG",
    gps: bool = False,
    orientation: int | None = None,
    colour=(180, 60, 60),
) -> bytes:
    """An image whose left half is ``colour`` and right half white, so a rotation shows."""
    image = Image.new("RGB", (width, height), (255, 255, 255))
    image.paste(Image.new("RGB", (width // 2, height), colour), (0, 0))
    options = {}
    if gps or orientation:
        exif = Image.Exif()
        exif[ExifTags.Base.Make] = "TestPhone"
        if orientation:
            exif[ExifTags.Base.Orientation] = orientation
        if gps:
            exif[ExifTags.Base.GPSInfo] = GPS
        options["exif"] = exif.tobytes()
    output = BytesIO()
    image.save(output, format=fmt, **options)
    return output.getvalue()


def upload(name: str = "IMG_0001.jpg", data: bytes | None = None, content_type="image/jpeg"):
    return SimpleUploadedFile(name, image_bytes() if data is None else data, content_type)


def make_photo(**fields) -> Photo:
    """A saved photo (through ``full_clean()``) of a finished item unless told otherwise."""
    if "community" not in fields:
        item = fields.get("item") or make_finished_item()
        fields.setdefault("item", item)
        fields["community"] = item.community
    fields.setdefault("phase", PhotoPhase.BEFORE)
    fields.setdefault("taken_on", date(2022, 3, 1))
    fields.setdefault("caption", "改造前的外立面")
    fields.setdefault("image", upload())
    photo = Photo(**fields)
    photo.full_clean()
    photo.save()
    return photo
