"""A small world across two cities of Shandong with hand-worked figures (tests/reporting,
tests/site): what each region's figures and progress must be, today and on 2023-03-31.

    泰山区 370902 (泰安市 3709)
      甲小区  completed 2022-11-30, 100 households, 10,000 m²
              item: accepted, 100 %, budget 200,000, spent 180,000 (contractor, supervisor)
              elevator in service 2021-09-27; property service from 2022-01-01
      乙小区  completed 2023-06-30, 200 households, 20,000 m²
              item: accepted, 100 %, budget 100,000, spent 100,000
              elevator in service 2023-05-01; play area 300 m² opened 2023-07-01
    岱岳区 370911 (泰安市 3709)
      丙小区  under construction since 2023-03-01, 50 households, 5,000 m²
              items: 40 % budget 300,000 spent 60,000; planned 0 % budget 100,000;
                     cancelled budget 999,999 (never counted)
    历下区 370102 (济南市 3701)
      丁小区  completed 2021-10-31, 80 households, 8,000 m²
              item: accepted, 100 %, budget 50,000, spent 50,000
              play area 200 m² opened 2021-12-01; property service from 2023-02-01

Progress (Σ progress×budget ÷ Σ budget; Σ spent ÷ Σ budget):
    province 37:  47,000,000 / 750,000 = 62.666… → 62.7 %;  390,000 / 750,000 = 52.0 %
    city 3709:    42,000,000 / 700,000 = 60.0 %;            340,000 / 700,000 = 48.571… → 48.6 %
    city 3701:    100.0 %;                                   100.0 %
    岱岳区:        12,000,000 / 400,000 = 30.0 %;            60,000 / 400,000 = 15.0 %
"""

from datetime import date
from decimal import Decimal

from communities.elevators.choices import ElevatorStage
from communities.places.choices import RenovationStatus
from communities.works.choices import FacilityKind, ItemStatus
from tests.support.factories import (
    make_building,
    make_community,
    make_district,
    make_elevator,
    make_facility,
    make_funding,
    make_item,
    make_service,
)

AS_OF = date(2023, 3, 31)
TODAY_FIGURES = {
    "communities_renovated": 3,
    "renovated_floor_area_m2": "38000.00",
    "households_benefited": 380,
    "elevators_in_service": 2,
    "children_play_area_m2": "500.00",
    "communities_with_property_service": 2,
}
AS_OF_FIGURES = {
    "communities_renovated": 2,
    "renovated_floor_area_m2": "18000.00",
    "households_benefited": 180,
    "elevators_in_service": 1,
    "children_play_area_m2": "200.00",
    "communities_with_property_service": 2,
}


def _completed(district, name, households, area, started, completed, year):
    return make_community(
        validate=False,
        district=district,
        name=name,
        households=households,
        floor_area_m2=Decimal(area),
        renovation_status=RenovationStatus.COMPLETED,
        renovation_year=year,
        started_on=started,
        completed_on=completed,
    )


def make_region_world() -> dict:
    """The world above, saved without ``full_clean()`` (every record is valid; the tests of
    validation live with the models) so that the tests building it stay fast."""
    taishan = make_district(validate=False, code="370902", name="泰山区")
    daiyue = make_district(validate=False, code="370911", name="岱岳区")
    lixia = make_district(validate=False, code="370102", name="历下区")

    jia = _completed(taishan, "甲小区", 100, "10000", date(2022, 3, 1), date(2022, 11, 30), 2022)
    yi = _completed(taishan, "乙小区", 200, "20000", date(2023, 1, 10), date(2023, 6, 30), 2023)
    bing = make_community(
        validate=False,
        district=daiyue,
        name="丙小区",
        households=50,
        floor_area_m2=Decimal("5000"),
        renovation_status=RenovationStatus.UNDER_CONSTRUCTION,
        renovation_year=2023,
        started_on=date(2023, 3, 1),
    )
    ding = _completed(lixia, "丁小区", 80, "8000", date(2021, 3, 1), date(2021, 10, 31), 2021)

    jia_item = make_item(
        community=jia,
        status=ItemStatus.ACCEPTED,
        budget=Decimal("200000"),
        spent=Decimal("180000"),
        contractor="泰安岱宗建设工程有限公司",
        supervisor="泰安正信监理有限公司",
        actual_start=date(2022, 3, 1),
        actual_end=date(2022, 11, 20),
    )
    make_funding(validate=False, item=jia_item, source="central_subsidy", amount=Decimal("120000"))
    make_funding(validate=False, item=jia_item, source="residents", amount=Decimal("30000"))
    make_item(
        validate=False,
        community=yi,
        status=ItemStatus.ACCEPTED,
        budget=Decimal("100000"),
        spent=Decimal("100000"),
        actual_start=date(2023, 1, 10),
        actual_end=date(2023, 6, 20),
    )
    make_item(
        validate=False,
        community=bing,
        status=ItemStatus.UNDER_CONSTRUCTION,
        progress=40,
        budget=Decimal("300000"),
        spent=Decimal("60000"),
        actual_start=date(2023, 3, 1),
    )
    make_item(validate=False, community=bing, title="绿化提升", budget=Decimal("100000"))
    make_item(
        validate=False,
        community=bing,
        title="取消的项目",
        status=ItemStatus.CANCELLED,
        budget=Decimal("999999"),
    )
    make_item(
        validate=False,
        community=ding,
        status=ItemStatus.ACCEPTED,
        budget=Decimal("50000"),
        spent=Decimal("50000"),
        actual_start=date(2021, 3, 1),
        actual_end=date(2021, 10, 20),
    )

    make_elevator(
        validate=False,
        building=make_building(validate=False, community=jia),
        stage=ElevatorStage.IN_SERVICE,
    )
    make_elevator(
        validate=False,
        building=make_building(validate=False, community=yi),
        stage=ElevatorStage.IN_SERVICE,
        in_service_on=date(2023, 5, 1),
    )
    make_facility(
        validate=False,
        community=yi,
        kind=FacilityKind.CHILDREN_PLAY_AREA,
        name="儿童乐园",
        area_m2=Decimal("300"),
        opened_on=date(2023, 7, 1),
    )
    make_facility(
        validate=False,
        community=ding,
        kind=FacilityKind.CHILDREN_PLAY_AREA,
        name="游乐场",
        area_m2=Decimal("200"),
        opened_on=date(2021, 12, 1),
    )
    make_service(validate=False, community=jia, contract_start=date(2022, 1, 1))
    make_service(validate=False, community=ding, contract_start=date(2023, 2, 1))
    return {
        "districts": {"taishan": taishan, "daiyue": daiyue, "lixia": lixia},
        "communities": {"jia": jia, "yi": yi, "bing": bing, "ding": ding},
    }
