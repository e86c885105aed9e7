"""Helpers for the residents' report form: a small real photo and a filled form."""

from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile

# A mobile number that must never appear on a public page or response.
REPORTER_PHONE = "13700001234"
REPORTER_NAME = "李隐私"


def photo(name: str = "leak.jpg", colour: str = "blue") -> SimpleUploadedFile:
    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (24, 16), colour).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def report_data(**overrides) -> dict:
    data = {
        "category": "plumbing",
        "description": "3号楼楼道水管漏水",
        "reporter_name": REPORTER_NAME,
        "reporter_phone": REPORTER_PHONE,
        "nearby_seen": "True",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}
