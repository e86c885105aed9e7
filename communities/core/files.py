"""Uploaded files, checked by what they decode to, not by their name or first bytes.

A file's extension or magic bytes say nothing about the rest of it: a JPEG header followed by
HTML, or an HTML page named ``.pdf``, would be stored and served back from our own domain.
So every upload is decoded before it is accepted:

- images (photos, and the JPEG/PNG drawings of a design plan) are opened and fully decoded with
  Pillow, then re-encoded when saved (``UploadField``): what is stored is pixels we wrote,
  without the upload's trailing bytes or metadata (EXIF, and with it the GPS position of a
  resident's phone);
- a PDF must start with ``%PDF-``, end with ``%%EOF`` and parse with pypdf down to its pages;
- Word and Excel files must be what their format is made of (an OLE2 compound file for
  ``.doc``/``.xls``, an Office Open XML package for ``.docx``/``.xlsx``), a drawing an AutoCAD
  ``.dwg`` (its ``AC10xx`` version header). Those are structural checks: nothing here parses
  them further.

Files are served with ``X-Content-Type-Options: nosniff`` and, unless they are images, as an
attachment (``communities.core.media``), so a file that still got through is never shown as a page.
"""

import posixpath
import zipfile
from contextlib import contextmanager
from io import BytesIO

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

PHOTO_EXTENSIONS = ["jpg", "jpeg", "png", "webp"]
PHOTO_MAX_BYTES = 10 * 1024 * 1024
# A 48-megapixel phone photo is 8000 x 6000; decoding is bounded by this many pixels (about
# 160 MB in memory at worst), whatever the file's size.
IMAGE_MAX_PIXELS = 50_000_000
DOCUMENT_EXTENSIONS = ["pdf", "jpg", "jpeg", "png", "dwg", "doc", "docx", "xls", "xlsx"]
DOCUMENT_MAX_BYTES = 50 * 1024 * 1024

# The image formats accepted, and the extension each is stored under once re-encoded.
IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
IMAGE_EXTENSIONS = frozenset(PHOTO_EXTENSIONS)
JPEG_QUALITY = 90

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc, .xls (Compound File Binary)
OOXML_PARTS = {"docx": "word/", "xlsx": "xl/"}  # the folder each package's content is in
PDF_EOF_WINDOW = 2048  # %%EOF must lie this near the end (trailing newlines, padding)


def extension(name: str) -> str:
    base = posixpath.basename(name or "")
    return base.rsplit(".", 1)[-1].lower() if "." in base else ""


def _stored(value) -> bool:
    """A file already in storage was checked when it was uploaded: a later ``full_clean()`` of
    its record (an edit of another field) does not read and decode it again."""
    return bool(getattr(value, "_committed", False))


def _rewound(upload):
    upload.seek(0)
    return upload


@contextmanager
def _position_kept(upload):
    """Read the upload from anywhere; leave it where it was for whoever reads it next."""
    position = upload.tell()
    try:
        yield upload
    finally:
        upload.seek(position)


# --- Size ---------------------------------------------------------------------------------------


@deconstructible
class MaxFileSizeValidator:
    message = _("The file must be at most %(megabytes)s MB.")

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes

    def __call__(self, upload) -> None:
        if upload.size is not None and upload.size > self.max_bytes:
            raise ValidationError(
                self.message,
                code="file_too_big",
                params={"megabytes": self.max_bytes // (1024 * 1024)},
            )

    def __eq__(self, other) -> bool:
        return isinstance(other, MaxFileSizeValidator) and other.max_bytes == self.max_bytes


# --- Images ---------------------------------------------------------------------------------------


def decode_image(upload, *, invalid_message):
    """The upload opened and fully decoded with Pillow (every pixel read), or a
    ``ValidationError``. Only JPEG, PNG and WebP are accepted."""
    from PIL import Image

    too_many_pixels = _("The image must be at most %(megapixels)s megapixels.")
    try:
        image = Image.open(_rewound(upload))
        if image.format not in IMAGE_FORMATS:
            raise ValidationError(invalid_message, code="not_an_image")
        width, height = image.size
        if width * height > IMAGE_MAX_PIXELS:
            raise ValidationError(
                too_many_pixels,
                code="image_too_large",
                params={"megapixels": IMAGE_MAX_PIXELS // 1_000_000},
            )
        image.load()
    except ValidationError:
        raise
    except Exception as exc:  # Pillow raises many kinds on a crafted file
        # (OSError for a truncated one, SyntaxError, ValueError, struct.error, EOFError...):
        # whichever it is, the file is not an image we can decode.
        raise ValidationError(invalid_message, code="not_an_image") from exc
    finally:
        upload.seek(0)
    return image


def reencode_image(upload) -> tuple[ContentFile, str]:
    """The upload decoded and written anew in its own format (JPEG, PNG or WebP), upright and
    without metadata: no EXIF (so no GPS position), no comments, nothing after the image.
    Returns the new content and the extension it is stored under."""
    from PIL import ImageOps

    image = decode_image(upload, invalid_message=PhotoValidator.message)
    fmt = image.format
    icc_profile = image.info.get("icc_profile")  # colours, not personal data
    # The orientation tag goes with the rest of EXIF: turn the pixels the way it said.
    image = ImageOps.exif_transpose(image)
    options = {"icc_profile": icc_profile} if icc_profile else {}
    if fmt == "JPEG":
        if image.mode not in {"RGB", "L", "CMYK"}:
            image = image.convert("RGB")
        options.update(quality=JPEG_QUALITY, optimize=True)
    elif fmt == "WEBP":
        if image.mode not in {"RGB", "RGBA"}:
            image = image.convert("RGBA" if "A" in image.mode else "RGB")
        options.update(quality=JPEG_QUALITY)
    else:  # PNG
        if image.mode not in {"1", "L", "LA", "P", "RGB", "RGBA", "I", "I;16"}:
            image = image.convert("RGBA")
        options.update(optimize=True)
    output = BytesIO()
    image.save(output, format=fmt, **options)
    return ContentFile(output.getvalue()), IMAGE_FORMATS[fmt]


@deconstructible
class PhotoValidator:
    """A photo must decode as a JPEG, PNG or WebP image of at most 10 MB."""

    message = _("Upload a JPEG, PNG or WebP photo.")
    too_big = _("The photo must be at most 10 MB.")

    def __call__(self, upload) -> None:
        if _stored(upload):
            return
        if upload.size is not None and upload.size > PHOTO_MAX_BYTES:
            raise ValidationError(self.too_big, code="photo_too_big")
        with _position_kept(upload):
            decode_image(upload, invalid_message=self.message)

    def __eq__(self, other) -> bool:
        return isinstance(other, PhotoValidator)


# --- Documents ------------------------------------------------------------------------------------


def _head_and_tail(upload, size: int) -> tuple[bytes, bytes]:
    head = _rewound(upload).read(size)
    total = upload.size if upload.size is not None else None
    if total is not None and total > size:
        upload.seek(max(total - size, 0))
    else:
        upload.seek(0)
    tail = upload.read(size)
    upload.seek(0)
    return head, tail


def is_pdf(upload) -> bool:
    """``%PDF-`` at the start, ``%%EOF`` near the end, and pypdf reads its cross-reference
    table, trailer and page tree (an encrypted file only when it opens without a password)."""
    from pypdf import PdfReader

    head, tail = _head_and_tail(upload, PDF_EOF_WINDOW)
    if not head.startswith(b"%PDF-") or b"%%EOF" not in tail:
        return False
    try:
        reader = PdfReader(_rewound(upload))
        if reader.is_encrypted:
            reader.decrypt("")
        return len(reader.pages) >= 1
    except Exception:  # pypdf raises many kinds on a broken or crafted file
        return False
    finally:
        upload.seek(0)


def is_ooxml(upload, ext: str) -> bool:
    """An Office Open XML package: a zip holding ``[Content_Types].xml`` and its part folder.
    Nothing is decompressed (the names are in the zip's directory)."""
    try:
        with zipfile.ZipFile(_rewound(upload)) as package:
            names = package.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return False
    finally:
        upload.seek(0)
    folder = OOXML_PARTS[ext]
    return "[Content_Types].xml" in names and any(name.startswith(folder) for name in names)


def is_dwg(upload) -> bool:
    head = _rewound(upload).read(6)
    upload.seek(0)
    return head[:4] == b"AC10" and head[4:6].isdigit()


def is_ole2(upload) -> bool:
    head = _rewound(upload).read(len(OLE2_MAGIC))
    upload.seek(0)
    return head == OLE2_MAGIC


@deconstructible
class DocumentValidator:
    """A design document's content must be what its extension says. The extension itself and
    the size are ``FileExtensionValidator``'s and ``MaxFileSizeValidator``'s to refuse."""

    message = _("The file's content is not a valid %(kind)s file.")

    def __call__(self, upload) -> None:
        if _stored(upload):
            return
        with _position_kept(upload):
            self._check(upload, extension(upload.name))

    def _check(self, upload, ext: str) -> None:
        if ext in IMAGE_EXTENSIONS:
            try:
                decode_image(upload, invalid_message=PhotoValidator.message)
            except ValidationError as exc:
                if exc.code == "not_an_image":
                    raise self._invalid(ext) from exc
                raise
            return
        checks = {
            "pdf": is_pdf,
            "doc": is_ole2,
            "xls": is_ole2,
            "docx": lambda f: is_ooxml(f, "docx"),
            "xlsx": lambda f: is_ooxml(f, "xlsx"),
            "dwg": is_dwg,
        }
        check = checks.get(ext)
        if check is not None and not check(upload):
            raise self._invalid(ext)

    def _invalid(self, ext: str) -> ValidationError:
        return ValidationError(self.message, code="invalid_content", params={"kind": ext.upper()})

    def __eq__(self, other) -> bool:
        return isinstance(other, DocumentValidator)


# --- The model field ------------------------------------------------------------------------------


class UploadField(models.FileField):
    """A ``FileField`` whose images are stored re-encoded (``reencode_image``): what lands in
    storage is an image we wrote, under the extension of its real format. Other files are
    stored as uploaded, once the field's validators (run by ``full_clean()``) accepted them.
    """

    def pre_save(self, model_instance, add):
        file = getattr(model_instance, self.attname)
        if file and not file._committed and extension(file.name) in IMAGE_EXTENSIONS:
            content, ext = reencode_image(file)
            stem = posixpath.basename(file.name).rsplit(".", 1)[0] or "image"
            file.file = content
            file.name = f"{stem}.{ext}"
        return super().pre_save(model_instance, add)
