"""Serializers introspect the model once per class and language, and hand out copies."""

import pytest
from django.utils import translation

from communities.dossier.api.serializers import CommunitySerializer
from communities.elevators.api.serializers import ElevatorRetrofitSerializer
from communities.places.models import Community
from tests.support.factories import make_elevator

pytestmark = pytest.mark.django_db


def test_labels_follow_the_language_the_serializer_is_made_in():
    # In English "households" is DRF's default label, so DRF gives the field no label of its
    # own: a template made in English and reused in Chinese would show English.
    verbose = Community._meta.get_field("households").verbose_name
    labels = {}
    for language in ("en", "zh-hans", "en"):
        with translation.override(language):
            labels.setdefault(language, set()).add(
                str(CommunitySerializer().fields["households"].label)
            )
            expected = str(verbose)
        assert labels[language] == {expected[:1].upper() + expected[1:]}
    assert labels["en"] != labels["zh-hans"]


def test_changing_one_serializers_fields_changes_no_other():
    elevator = make_elevator()
    for_existing = ElevatorRetrofitSerializer(instance=elevator)
    assert for_existing.fields["intention_on"].read_only  # a stage date, once registered
    assert not ElevatorRetrofitSerializer().fields["intention_on"].read_only

    fields = CommunitySerializer().fields
    fields["name"].read_only = True
    fields.pop("address")
    fresh = CommunitySerializer().fields
    assert not fresh["name"].read_only
    assert "address" in fresh
