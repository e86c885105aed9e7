"""The seeded generator of Tai'an's demo data: unsaved model instances, nothing written.

``build_city()`` runs one step per subject over a ``DemoCity``: places, buildings, renovation,
design plans, elevators, property services, facilities (each in its own module). Each step
draws from its own ``random.Random`` seeded with the city's seed and the step's name, so
adding a step (owners' votes, repair requests, proposals…) or changing one never shifts what
the others generate. A step adds its objects with ``city.add()``; ``store.save_city()``
writes them model by model in the order the models were first added, parents before
children, and foreign keys to parents saved earlier resolve on the way. A step may read what
earlier steps made through ``city.sites`` (each community with its buildings, items,
elevators, services, facilities).

The city is generated "as of" a day, ``today`` (``city.today``; see city.py): the history up to
``taian.REPORT_DAY`` is fixed and gives the report's six figures exactly as of that day; later
batches, works under way, plans, services, repairs and ratings continue it up to ``today``, and
no fact is dated after it (only plans look ahead). The same seed and the same day give the same
city. The figures that must come out exactly are built to sum exactly (integer allocation by
largest remainder), not sampled and hoped for.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date

from communities.demo import taian
from communities.demo.acceptance import acceptance
from communities.demo.city import DemoCity, Step
from communities.demo.construction import construction
from communities.demo.elevators import elevators
from communities.demo.facilities import facilities
from communities.demo.objections import objections
from communities.demo.participation import design_plans, participation
from communities.demo.payments import payments
from communities.demo.photos import photos
from communities.demo.places import buildings, places
from communities.demo.property import property_services
from communities.demo.renovation import decisions, renovation
from communities.demo.returns import returns
from communities.elevators.models import SubsidyRule, VoteRule
from communities.places.models import District
from communities.works.models.items import RenovationKind

# The steps in order; later subjects (votes, repair requests, proposals) append theirs.
STEPS: list[Step] = [
    places,
    buildings,
    renovation,
    elevators,
    # The records and dates the rules of issue 15 ask for, once every item is there.
    decisions,
    property_services,
    facilities,
    design_plans,
    participation,
    returns,
    objections,
    construction,
    # The owners' money for the retrofits (issue 17), once their stage dates are final.
    payments,
    photos,  # before/after photos of the named communities (files drawn when saved)
    # Completion acceptance and settlement (issue 17): after the parties exist.
    acceptance,
]


def build_city(
    *,
    districts: dict[str, District],
    kinds: dict[str, RenovationKind],
    vote_rule: VoteRule,
    subsidy_rule: SubsidyRule,
    today: date,
    seed: int = taian.SEED,
    steps: Sequence[Step] | None = None,
) -> DemoCity:
    """Generate the whole demo city in memory, as of ``today``. Runs no queries."""
    if today < taian.EARLIEST_TODAY:
        raise ValueError(f"The demo cannot be loaded as of a day before {taian.EARLIEST_TODAY}.")
    city = DemoCity(
        districts=districts,
        kinds=kinds,
        vote_rule=vote_rule,
        subsidy_rule=subsidy_rule,
        today=today,
    )
    for step in STEPS if steps is None else steps:
        step(city, random.Random(f"{seed}:{step.__name__}"))
    return city
