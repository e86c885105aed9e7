"""Printable QR posters (报修二维码): an A4 SVG per community and per building, for the property
company to stick in the stairwell. The code opens the report form of that place (the
community's, with the building chosen), as an absolute URL of this site.

The QR code is drawn by segno (pure Python) as one SVG path of unit squares, so the poster is
one small vector file that prints sharp at any size and needs no image library.
"""

import segno
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from communities.places.models import Building, Community

# A4 in millimetres, the poster's coordinate system; the code's side on paper.
A4_WIDTH, A4_HEIGHT = 210, 297
QR_SIDE_MM = 130
QR_BORDER = 4  # the quiet zone, in modules, that scanners need


def qr_path(url: str) -> tuple[str, int]:
    """The QR code of ``url`` as SVG path data (one ``h1v1h-1z`` square per dark module, in
    module units, quiet zone included) and its side in modules."""
    code = segno.make(url, error="m", micro=False)
    parts = []
    for y, row in enumerate(code.matrix_iter(scale=1, border=QR_BORDER)):
        for x, dark in enumerate(row):
            if dark:
                parts.append(f"M{x} {y}h1v1h-1z")
    side = code.symbol_size(scale=1, border=QR_BORDER)[0]
    return "".join(parts), side


def _poster(request, *, community: Community, building: Building | None):
    url = reverse("site:report-community", kwargs={"pk": community.pk})
    if building is not None:
        url += f"?building={building.pk}"
    url = request.build_absolute_uri(url)
    path, side = qr_path(url)
    scale = QR_SIDE_MM / side
    response = render(
        request,
        "site/report/poster.svg",
        {
            "community": community,
            "building": building,
            "url": url,
            "qr_path": path,
            "qr_transform": (f"translate({(A4_WIDTH - QR_SIDE_MM) / 2} 78) scale({scale:.5f})"),
        },
        content_type="image/svg+xml; charset=utf-8",
    )
    name = f"poster-{community.pk}" + (f"-{building.pk}" if building is not None else "")
    response["Content-Disposition"] = f'inline; filename="{name}.svg"'
    return response


@require_safe
def community_poster(request, pk: int):
    """The poster of a community: its report form."""
    community = get_object_or_404(Community.objects.select_related("district"), pk=pk)
    return _poster(request, community=community, building=None)


@require_safe
def building_poster(request, pk: int, building: int):
    """The poster of one building: the community's report form with the building chosen."""
    found = get_object_or_404(
        Building.objects.select_related("community__district"), pk=building, community_id=pk
    )
    return _poster(request, community=found.community, building=found)
