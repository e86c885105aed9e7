"""The demo's removal (``load_demo_data --reset``) deletes without the rows' delete signals
(``communities.demo.store.QuietCollector``) and does once what their receivers would have done:
here on a few communities made for the test; test_demo_data.py resets the whole demo."""

import pytest
from django.apps import apps
from django.db.models.signals import post_delete, pre_delete

from communities.core import caching
from communities.demo import store
from communities.elevators.choices import ElevatorStage
from communities.elevators.models import ElevatorRetrofit, StageTransition
from communities.places.models import Building, Community, District
from communities.places.selectors import _forget_district_code
from communities.reporting import selectors as statistics
from communities.works.models.items import FundingLine, RenovationItem
from tests.support.factories import make_busy_community, make_community, make_elevator

pytestmark = pytest.mark.django_db


def _receivers(signal, model) -> list:
    sync, asynchronous = signal._live_receivers(model)
    return [*sync, *asynchronous]


def _made_up_for(receiver) -> bool:
    """What the demo's removal does itself: no history (``history_off``), and the statistics
    and public pages made stale once (``invalidate_statistics`` makes both stale)."""
    if type(getattr(receiver, "__self__", None)).__name__ == "HistoricalRecords":
        return True
    return receiver in (statistics.invalidate_statistics, caching.invalidate_public_pages)


def test_every_delete_receiver_of_the_domain_is_one_the_removal_makes_up_for():
    """Generated: a receiver added to a model's delete signals is found here, before the
    demo's removal skips it silently (districts stay: their receiver never runs)."""
    unknown = {
        (model._meta.label, signal_name, getattr(receiver, "__qualname__", repr(receiver)))
        for model in apps.get_app_config("communities").get_models()
        for signal_name, signal in (("pre_delete", pre_delete), ("post_delete", post_delete))
        for receiver in _receivers(signal, model)
        if not _made_up_for(receiver)
        and not (model is District and receiver is _forget_district_code)
    }

    assert unknown == set()


def test_the_removal_deletes_what_hangs_from_the_communities_and_makes_the_figures_stale():
    kept = make_busy_community(name="留下小区")
    gone = make_busy_community(name="拆除小区")
    retrofit = make_elevator(
        building=gone.buildings.first(), stage=ElevatorStage.APPROVAL, validate=False
    )
    StageTransition.objects.create(
        retrofit=retrofit,
        from_stage=ElevatorStage.INTENTION,
        to_stage=ElevatorStage.APPROVAL,
        on=retrofit.approved_on,
    )
    other = make_community(district=gone.district, name="另一小区")
    statistics_token = caching.version_token(statistics._VERSION_KEY)
    pages_token = caching.version_token(caching._VERSION_KEY)
    history = gone.history.model.objects.count()

    deleted = store.delete_demo([(gone.district.code, gone.name), (other.district.code, "无")])

    # The community, its 2 buildings, 2 items, 2 funding lines, facility and property service,
    # as Django counts them (the retrofit went before, with its stage history).
    assert deleted == 9
    assert not Community.objects.filter(pk=gone.pk).exists()
    assert not Building.objects.filter(community_id=gone.pk).exists()
    assert not RenovationItem.objects.filter(community_id=gone.pk).exists()
    assert not FundingLine.objects.filter(item__community_id=gone.pk).exists()
    assert not ElevatorRetrofit.objects.filter(pk=retrofit.pk).exists()
    assert Community.objects.filter(pk__in=[kept.pk, other.pk]).count() == 2
    assert kept.items.count() == 2 and kept.buildings.count() == 2
    assert gone.history.model.objects.count() == history  # no deletion recorded
    assert caching.version_token(statistics._VERSION_KEY) != statistics_token
    assert caching.version_token(caching._VERSION_KEY) != pages_token
