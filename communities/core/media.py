"""``MEDIA_URL``: uploaded files (repair photos, design documents), served safely.

Every answer carries ``X-Content-Type-Options: nosniff``, and anything that is not a photo
(JPEG, PNG, WebP) is sent as an attachment: a browser downloads a document, it never renders
it as a page of this site. Two ways to send the bytes (``settings.MEDIA_SERVE`` turns both on):

- Django reads the file (``django.views.static.serve``): development, and small deployments
  with no web server in front;
- ``settings.MEDIA_ACCEL_REDIRECT`` set (``/protected-media/``): the answer is empty with
  ``X-Accel-Redirect: /protected-media/<path>``, and nginx sends the file from an ``internal``
  location (README, Deployment). The headers set here travel with it.
"""

import mimetypes
import os
import posixpath
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.http import Http404, HttpResponse
from django.utils._os import safe_join
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe
from django.views.static import serve

# Shown in the page (the photo of a repair request); everything else is downloaded.
INLINE_TYPES = frozenset({"image/jpeg", "image/png", "image/webp"})
# Folders whose files never change under their name (random names, written once: the
# community photos' web sizes, construction/photo_models.py): browsers and proxies may keep
# them a year without asking again. Other files get the default (revalidated) caching.
IMMUTABLE_PREFIXES = ("community-photos/",)
IMMUTABLE_CACHE_CONTROL = "public, max-age=31536000, immutable"


def _relative(path: str) -> str:
    """The path under MEDIA_ROOT, or a 404: no NUL byte, nothing outside the folder."""
    if "\x00" in path:
        raise Http404
    relative = posixpath.normpath(path).lstrip("/")
    if not relative or relative == "." or relative.startswith("../") or relative == "..":
        raise Http404
    try:
        safe_join(settings.MEDIA_ROOT, relative)
    except (SuspiciousFileOperation, ValueError) as exc:
        raise Http404 from exc
    return relative


@require_safe
def serve_media(request, path: str) -> HttpResponse:
    if not settings.MEDIA_SERVE:
        raise Http404
    relative = _relative(path)
    content_type, encoding = mimetypes.guess_type(relative)
    prefix = settings.MEDIA_ACCEL_REDIRECT
    if prefix:
        full_path = safe_join(settings.MEDIA_ROOT, relative)
        if not os.path.isfile(full_path):
            raise Http404
        response = HttpResponse(content_type=content_type or "application/octet-stream")
        response["X-Accel-Redirect"] = prefix + quote(relative)
    else:
        response = serve(request, relative, document_root=settings.MEDIA_ROOT)
    response["X-Content-Type-Options"] = "nosniff"
    if relative.startswith(IMMUTABLE_PREFIXES) and content_type in INLINE_TYPES:
        response["Cache-Control"] = IMMUTABLE_CACHE_CONTROL
    if content_type not in INLINE_TYPES or encoding is not None:
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=posixpath.basename(relative)
        )
    return response
