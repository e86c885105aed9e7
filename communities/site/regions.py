"""The public region pages: ``/regions/`` (the provinces), ``/regions/<code>/`` for a province
(its cities), a city (its districts) or a district (its communities), each with the headline
figures and progress as today or ``?as_of=YYYY-MM-DD``, and the formula of progress.

The figures come from ``reporting.regions`` (every area's at once, cached with the
statistics), so a page runs a fixed number of queries however many children it lists.
"""

import re
from datetime import date

from django import forms
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from communities.core import bounds, clock
from communities.places.models import Community, District, Region
from communities.reporting import progress, regions
from communities.reporting.api.serializers import AS_OF_FIRST
from communities.site.templatetags.site_format import grouped

AREA_CODE = re.compile(r"^[0-9]{2}(?:[0-9]{2}(?:[0-9]{2})?)?$")
COMMUNITIES_PAGE_SIZE = 50


class AsOfForm(forms.Form):
    as_of = forms.DateField(
        label=gettext_lazy("Figures as of"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        input_formats=["%Y-%m-%d"],
    )

    def clean_as_of(self) -> date | None:
        value = self.cleaned_data.get("as_of")
        today = clock.today()
        if value is not None and not AS_OF_FIRST <= value <= today:
            raise forms.ValidationError(
                _("Give a day from %(first)s to today (%(today)s).")
                % {"first": AS_OF_FIRST.isoformat(), "today": today.isoformat()}
            )
        return value


def _cards(figures: dict) -> list[dict]:
    """The six headline figures and the two of progress, ready to show."""
    return [
        {"key": "communities_renovated", "value": grouped(figures["communities_renovated"]),
         "unit": "", "label": _("Communities renovated")},
        {"key": "renovated_floor_area_m2", "value": grouped(figures["renovated_floor_area_m2"]),
         "unit": "m²", "label": _("Floor area renovated")},
        {"key": "households_benefited", "value": grouped(figures["households_benefited"]),
         "unit": "", "label": _("Households benefited")},
        {"key": "elevators_in_service", "value": grouped(figures["elevators_in_service"]),
         "unit": "", "label": _("Elevators added, in service")},
        {"key": "children_play_area_m2", "value": grouped(figures["children_play_area_m2"]),
         "unit": "m²", "label": _("Children's play area renovated")},
        {"key": "communities_with_property_service",
         "value": grouped(figures["communities_with_property_service"]),
         "unit": "", "label": _("Communities under property service")},
    ]  # fmt: skip


def _as_of(request) -> tuple[AsOfForm, date | None]:
    form = AsOfForm(request.GET or None)
    if request.GET and form.is_valid():
        return form, form.cleaned_data["as_of"]
    return form, None


def _trail(code: str) -> list[dict]:
    """The breadcrumbs above an area: its province and city, named (1 query)."""
    above = [code[:length] for length in (2, 4) if length < len(code)]
    names = {region.code: region.display_name for region in Region.objects.filter(code__in=above)}
    return [
        {"code": part, "name": names.get(part, part), "url": reverse("site:region", args=[part])}
        for part in above
    ]


@require_safe
def region_index(request):
    """Every province with its figures (1 query for the names; the figures cached)."""
    form, as_of = _as_of(request)
    status = 400 if form.errors else 200
    figures = regions.area_figures(as_of) if not form.errors else {}
    names = {
        region.code: region.display_name for region in Region.objects.filter(code__regex=r"^..$")
    }
    codes = sorted(set(names) | {code for code in figures if len(code) == 2})
    empty = regions.with_progress(regions.empty_figures())
    children = [
        {
            "code": code,
            "name": names.get(code, code),
            "site_url": reverse("site:region", args=[code]),
            **figures.get(code, empty),
        }
        for code in codes
    ]
    return render(
        request,
        "communities/region_detail.html",
        {
            "title": _("Regions"),
            "form": form,
            "as_of": as_of,
            "children": children,
            "children_title": _("Provinces"),
            "formula": progress.formula(),
        },
        status=status,
    )


@require_safe
def region_detail(request, code: str):
    """A province, city or district: its figures and progress, and its children with theirs.
    A code of another shape, or one naming no region or district, is a 404; a bad
    ``?as_of=`` a 400 that says why."""
    if not bounds.is_path_text(code) or not AREA_CODE.match(code):
        raise Http404
    if len(code) == 6:
        area = get_object_or_404(District, code=code)
        title = area.name
    else:
        area = get_object_or_404(Region, code=code)
        title = area.display_name
    form, as_of = _as_of(request)
    context = {
        "area": area,
        "code": code,
        "title": title,
        "trail": _trail(code),
        "form": form,
        "as_of": as_of,
        "formula": progress.formula(),
    }
    if form.errors:
        return render(request, "communities/region_detail.html", context, status=400)
    figures = regions.area_figures(as_of)
    mine = figures.get(code) or regions.with_progress(regions.empty_figures())
    context.update({"figures": mine, "cards": _cards(mine)})
    if len(code) == 6:
        communities = (
            Community.objects.filter(district=area)
            .only("id", "name", "renovation_status", "renovation_year", "households",
                  "floor_area_m2", "district_id")
            .order_by("name_sort", "id")
        )  # fmt: skip
        page = Paginator(communities, COMMUNITIES_PAGE_SIZE).get_page(request.GET.get("page"))
        context.update(
            {
                "page": page,
                "community_rows": regions.community_rows(page.object_list),
                "children_title": _("Communities"),
                "district_url": area.get_absolute_url(),
            }
        )
    else:
        context.update(
            {
                "children": regions.children_of(code, figures),
                "children_title": _("Cities") if len(code) == 2 else _("Districts"),
            }
        )
    return render(request, "communities/region_detail.html", context)
