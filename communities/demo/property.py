"""Generation step for property services (物业服务): exactly 360 communities covered."""

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
# Current services start no later than this, so they cover today on any run.
LATEST_START = date(2025, 6, 30)
MODES = {ManagementMode.PROFESSIONAL: 55, ManagementMode.FALLBACK: 35}
MODES[ManagementMode.SELF_MANAGED] = 10


def property_services(city: DemoCity, rng: random.Random) -> None:
    """Exactly 360 communities under an open-ended service, today and on any later day.

    All completed communities but 13, and 6 under construction (fallback service while the
    works go on). Professional, fallback and self-managed; some red property, some with a
    trial period; some with an earlier contract that expired, and a few whose contract lapsed
    and that now have none (neither counts).
    """
    target = taian.HEADLINE["communities_with_property_service"]
    completed = city.with_status(Status.COMPLETED)
    generated = [site for site in completed if site.named is None]
    without = rng.sample(generated, len(completed) + SERVED_UNDER_CONSTRUCTION - target)
    served = [site for site in completed if site not in without]
    served += rng.sample(city.with_status(Status.UNDER_CONSTRUCTION), SERVED_UNDER_CONSTRUCTION)
    for site in served:
        _current_service(city, site, rng)
    lapsed = [site for site in without if site.community.completed_on.year <= 2022]
    for site in lapsed[:LAPSED_WITHOUT_SERVICE]:
        # A contract that was not renewed: history, not coverage.
        start = days(site.community.completed_on, rng.randint(10, 60))
        end = min(date(start.year + rng.randint(1, 2), 12, 31), date(2024, 12, 31))
        _service(city, site, ManagementMode.PROFESSIONAL, start, rng, end=end)


def _current_service(city: DemoCity, site: Site, rng: random.Random) -> None:
    community = site.community
    if site.status == Status.UNDER_CONSTRUCTION:
        start = days(community.started_on, -rng.randint(60, 300))
        _service(city, site, ManagementMode.FALLBACK, start, rng)
        return
    start = days(community.completed_on, rng.randint(0, 45))
    if start <= date(2023, 6, 30) and rng.random() < EXPIRED_HISTORY_SHARE:
        # An earlier arrangement, then the current one: the neighbourhood stepped in first.
        end = days(start, rng.choice((365, 730)) - 1)
        _service(city, site, ManagementMode.FALLBACK, start, rng, end=end)
        start = days(end, 1)
    mode = ManagementMode.PROFESSIONAL if site.named else weighted(rng, MODES)
    _service(city, site, mode, min(start, LATEST_START), rng)


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
