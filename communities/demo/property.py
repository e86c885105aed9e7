"""Generation step for property services (物业服务): 360 communities covered on the report day."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from communities.demo import taian
from communities.demo.city import DemoCity, Site, Status, days, phone, weighted
from communities.property.choices import ManagementMode
from communities.property.models import PropertyService

# Communities under construction already under the neighbourhood's fallback service.
SERVED_UNDER_CONSTRUCTION = 6
EXPIRED_HISTORY_SHARE = 0.18
LAPSED_WITHOUT_SERVICE = 5
MODES = {ManagementMode.PROFESSIONAL: 55, ManagementMode.FALLBACK: 35}
MODES[ManagementMode.SELF_MANAGED] = 10
# Of the later batches' completed communities, the share under property service today.
LATER_SERVED_SHARE = 0.9


def property_services(city: DemoCity, rng: random.Random) -> None:
    """Exactly 360 communities under an open-ended service on the report day, more today.

    On the report day (``taian.REPORT_DAY``): all the communities completed by then but 7.
    After it (from ``taian.LATER_FROM``): 6 communities under construction under the
    neighbourhood's fallback service while the works go on, and most of the later batches'
    completed communities, from a few weeks after their completion. Professional, fallback and
    self-managed; some red property, some with a trial period; some with an earlier contract
    that expired, and a few whose contract lapsed before the report and that now have none
    (neither counts).
    """
    target = taian.HEADLINE["communities_with_property_service"]
    completed = city.history
    generated = [site for site in completed if site.named is None]
    without = rng.sample(generated, len(completed) - target)
    served = [site for site in completed if site not in without]
    current = [s for s in city.with_status(Status.UNDER_CONSTRUCTION) if not s.later]
    served += rng.sample(current, SERVED_UNDER_CONSTRUCTION)
    for site in served:
        _current_service(city, site, rng)
    lapsed = [site for site in without if site.community.completed_on.year <= 2021]
    for site in lapsed[:LAPSED_WITHOUT_SERVICE]:
        # A contract that was not renewed: history, not coverage (it ended before the report).
        start = days(site.community.completed_on, rng.randint(10, 60))
        end = min(date(start.year + rng.randint(1, 2), 12, 31), date(2022, 12, 31))
        _service(city, site, ManagementMode.PROFESSIONAL, start, rng, end=end)
    for site in city.sites:
        if site.later and site.status == Status.COMPLETED and rng.random() < LATER_SERVED_SHARE:
            start = city.cap(days(site.community.completed_on, rng.randint(0, 45)))
            _service(city, site, weighted(rng, MODES), start, rng)


def _current_service(city: DemoCity, site: Site, rng: random.Random) -> None:
    community = site.community
    if site.status == Status.UNDER_CONSTRUCTION:
        start = max(days(community.started_on, -rng.randint(60, 300)), taian.LATER_FROM)
        _service(city, site, ManagementMode.FALLBACK, start, rng)
        return
    start = days(community.completed_on, rng.randint(0, 45))
    if start <= days(taian.REPORT_DAY, -366) and rng.random() < EXPIRED_HISTORY_SHARE:
        # An earlier arrangement, then the current one: the neighbourhood stepped in first.
        length = rng.choice((365, 730))
        if days(start, length) > taian.REPORT_DAY:
            length = 365  # over by the report day, so that the current one covers it
        end = days(start, length - 1)
        _service(city, site, ManagementMode.FALLBACK, start, rng, end=end)
        start = days(end, 1)
    mode = ManagementMode.PROFESSIONAL if site.named else weighted(rng, MODES)
    # Under service by the report day (an earlier contract runs until the current one begins).
    _service(city, site, mode, min(start, taian.REPORT_DAY), rng)


def _service(city, site, mode, start, rng, *, end=None) -> PropertyService:
    community = site.community
    named = site.named
    surname = rng.choice(taian.SURNAMES)
    if mode == ManagementMode.PROFESSIONAL:
        local = taian.LOCAL_PROPERTY_COMPANIES.get(site.district.code, ())
        provider = (named and named.provider) or rng.choice(taian.PROPERTY_COMPANIES + local)
        contact = f"{surname}经理"
        fee = rng.randint(10, 30) * 5  # 0.50–1.50 yuan per m² per month
    elif mode == ManagementMode.FALLBACK:
        provider = f"{community.neighbourhood or community.subdistrict}居民委员会"
        contact = f"{surname}主任"
        fee = rng.randint(6, 10) * 5  # 0.30–0.50
    else:
        provider = f"{community.name}业主委员会"
        contact = f"{surname}主任"
        fee = rng.randint(6, 8) * 5  # 0.30–0.40
    red = bool(named and named.red_property) or (
        mode != ManagementMode.SELF_MANAGED and end is None and rng.random() < 0.25
    )
    service = PropertyService(
        community=community,
        mode=mode,
        is_red_property=red,
        provider_name=provider,
        contact_name=contact,
        contact_phone=phone(rng),
        contract_start=start,
        contract_end=end,
        fee_per_m2_month=Decimal(fee).scaleb(-2),
    )
    if mode == ManagementMode.PROFESSIONAL and (red or rng.random() < 0.3):
        # Try before you buy (先尝后买): a low-cost trial at the start of the contract.
        service.trial_end = days(start, rng.choice((91, 182)))
        if end and service.trial_end > end:
            service.trial_end = end
    site.services.append(city.add(service))
    return service
