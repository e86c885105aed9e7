"""Web sizes of a community photo: the upload decoded once, turned upright, and written anew
as two JPEGs (a large one and a thumbnail) without any metadata.

The original camera file is never stored: it carries EXIF (the phone's model, the time and,
often, the GPS position of whoever took it) and is several megabytes that no page needs. What
is kept is pixels we wrote. The checks that refuse a file (not an image, too many pixels, too
big) are ``communities.core.files``' (``decode_image``), shared with every other upload.
"""

from dataclasses import dataclass
from io import BytesIO

from django.core.files.base import ContentFile

from communities.core import files

LARGE_SIDE = 1600  # the longest side of the large size (a page's full width, a lightbox)
THUMBNAIL_SIDE = 400  # the longest side of the thumbnail (a grid cell, a phone's column)
LARGE_QUALITY = 85
THUMBNAIL_QUALITY = 80


@dataclass(frozen=True)
class WebImage:
    content: ContentFile
    width: int
    height: int


@dataclass(frozen=True)
class WebSizes:
    large: WebImage
    thumbnail: WebImage


def _resized(image, side: int):
    copy = image.copy()
    copy.thumbnail((side, side))  # keeps the aspect ratio; never enlarges
    return copy


def _jpeg(image, quality: int, icc_profile: bytes | None) -> WebImage:
    output = BytesIO()
    options = {"icc_profile": icc_profile} if icc_profile else {}  # colours, not personal data
    image.save(output, format="JPEG", quality=quality, optimize=True, **options)
    return WebImage(ContentFile(output.getvalue()), image.width, image.height)


def _flattened(image):
    """RGB for JPEG: transparency (a PNG's, a WebP's) over white, palettes and greys expanded."""
    from PIL import Image

    if image.mode in {"RGBA", "LA", "PA"} or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB") if image.mode != "RGB" else image


def web_sizes(upload) -> WebSizes:
    """The upload as a large JPEG (longest side at most ``LARGE_SIDE``) and a thumbnail (at most
    ``THUMBNAIL_SIDE``), upright (the EXIF orientation applied to the pixels) and without EXIF.
    Raises ``ValidationError`` for anything ``decode_image`` refuses."""
    from PIL import ImageOps

    image = files.decode_image(upload, invalid_message=files.PhotoValidator.message)
    icc_profile = image.info.get("icc_profile")
    image = _flattened(ImageOps.exif_transpose(image))
    large = _resized(image, LARGE_SIDE)
    # The thumbnail from the large size's pixels: a fraction of the work for a 48 MP photo.
    thumbnail = _resized(large, THUMBNAIL_SIDE)
    return WebSizes(
        large=_jpeg(large, LARGE_QUALITY, icc_profile),
        thumbnail=_jpeg(thumbnail, THUMBNAIL_QUALITY, icc_profile),
    )
