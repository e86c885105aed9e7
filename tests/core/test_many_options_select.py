"""``core.filters.ManyOptionsSelect``: the options Django's ``Select`` writes, in one pass."""

import re

import pytest
from django import forms

from communities.core.filters import ManyOptionsSelect
from communities.places.models import District
from tests.support import factories as f

OPTION = re.compile(r'<option value="([^"]*)"( selected)?>([^<]*)</option>')


def _options(html: str) -> list[tuple[str, bool, str]]:
    return [(value, bool(chosen), label) for value, chosen, label in OPTION.findall(html)]


class DistrictForm(forms.Form):
    fast = forms.ModelChoiceField(
        queryset=District.objects.order_by("code"), required=False, widget=ManyOptionsSelect
    )
    slow = forms.ModelChoiceField(queryset=District.objects.order_by("code"), required=False)


@pytest.mark.django_db
def test_it_writes_the_options_and_the_choice_of_djangos_select():
    first = f.make_district(name="泰山区")
    f.make_district(name="岱岳区 <&>")
    for data in ({}, {"fast": first.pk, "slow": first.pk}):
        form = DistrictForm(data or None)
        fast, slow = str(form["fast"]), str(form["slow"])
        assert _options(fast) == _options(slow.replace("\n", ""))
        assert fast.startswith('<select name="fast" id="id_fast">')
    chosen = str(DistrictForm({"fast": first.pk})["fast"])
    assert (str(first.pk), True, "泰山区") in _options(chosen)
    assert "岱岳区 &lt;&amp;&gt;" in str(DistrictForm()["fast"])


@pytest.mark.django_db
def test_the_repair_measures_page_offers_the_districts(staff_client):
    district = f.make_district(name="泰山区")
    response = staff_client.get(
        "/admin/communities/repairrequest/measures/", {"district": district.pk}
    )
    assert response.status_code == 200
    assert f'<option value="{district.pk}" selected>泰山区</option>' in response.content.decode()
