"""The public pages of residents' participation: the city-wide satisfaction ranking.

A community's own page shows its proposals, plan and ratings through the includes in
``templates/communities/participation/`` (``community_proposals.html``, ``community_plan.html``,
``community_ratings.html``), fed by ``selectors_participation.community_participation``.
Nothing here names a household: ratings are read as figures and anonymous comments only.
"""

from django import forms
from django.db.models import QuerySet
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from communities import selectors_participation
from communities.models import Community, District


class SatisfactionFilterForm(forms.Form):
    """?district=<code>&year=<batch year>; a value that is not one of the choices is a form
    error shown on the page, and the figures are then the whole city's."""

    district = forms.ChoiceField(label=_("District"), required=False)
    year = forms.TypedChoiceField(
        label=_("Batch year"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, districts: QuerySet, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].choices = [("", _("The whole city"))] + [
            (district.code, district.name) for district in districts
        ]
        self.fields["year"].choices = [("", _("Every year"))] + [(y, str(y)) for y in years]


def _batch_years() -> list[int]:
    """The batch years of the communities in the programme (one query)."""
    return list(
        Community.objects.filter(renovation_year__isnull=False)
        .order_by("renovation_year")
        .values_list("renovation_year", flat=True)
        .distinct()
    )


@require_safe
def satisfaction(request):
    """Residents' satisfaction across the city: the figures, by district and batch year, and
    the rankings of communities and contractors with enough ratings (8 queries)."""
    districts = list(District.objects.order_by("code"))
    form = SatisfactionFilterForm(request.GET or None, districts=districts, years=_batch_years())
    params = form.cleaned_data if form.is_valid() else {}
    district_code = params.get("district") or None
    statistics = selectors_participation.city_satisfaction(
        district=district_code, year=params.get("year")
    )
    return render(
        request,
        "communities/participation/satisfaction.html",
        {
            "form": form,
            "district": next((d for d in districts if d.code == district_code), None),
            "year": params.get("year"),
            "statistics": statistics,
            "overall": statistics["overall"],
        },
    )
