"""Elevator retrofits on the public site: each elevator's stage and, from its public notice on,
how the owners share the cost by floor; never an owner's name, phone or room, on the site or in
an anonymous API response."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from communities.elevators.choices import ElevatorStage, VoteChoice
from communities.elevators.models import ElevatorRetrofit, Household, OwnerVote
from communities.elevators.payments import COLLECTION_TOTALS, with_collection
from communities.places.choices import RenovationStatus
from tests.support import factories as f
from tests.support.api import API, api_client
from tests.support.pay import make_invoices

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
# Recognisable fake personal data: none of it may reach a public page or response.
OWNER_NAMES = ["测试业主甲", "测试业主乙", "Testowner Zhao"]
OWNER_PHONE = "13912345678"


def room(floor: int, door: int) -> str:
    return f"房{floor}0{door}"


def add_unit(building, *, unit: int = 1, area: str = "80.00") -> list[Household]:
    """Two flats a floor on every storey, each owner named and with a phone."""
    households = []
    for floor in range(1, building.storeys + 1):
        for door in (1, 2):
            household = Household(
                building=building,
                entrance_unit=unit,
                floor=floor,
                room_number=room(floor, door),
                floor_area_m2=Decimal(area),
                owner_name=OWNER_NAMES[(floor + door) % len(OWNER_NAMES)],
                owner_phone=OWNER_PHONE,
            )
            household.full_clean()
            household.save()
            households.append(household)
    return households


@pytest.fixture
def mudan():
    return f.make_community(
        district=f.make_district(code="370902", name="泰山区"),
        name="牡丹花园",
        renovation_status=RenovationStatus.COMPLETED,
        renovation_year=2021,
        started_on=date(2021, 3, 1),
        completed_on=date(2021, 11, 30),
    )


def retrofit_in(community, stage: str, *, label: str = "3号楼", **fields):
    """A retrofit of unit 1 of a six-storey building: ¥480,000, ¥150,000 subsidy, twelve
    households of 80 m² who all agreed."""
    building = f.make_building(community=community, label=label, storeys=6, entrance_units=2)
    fields.setdefault("total_cost", Decimal("480000.00"))
    households = add_unit(building)  # entered before consent closed the roster
    retrofit = f.make_elevator(building=building, stage=stage, **fields)
    for household in households:
        OwnerVote.objects.create(
            retrofit=retrofit,
            household=household,
            choice=VoteChoice.AGREE,
            voted_on=date(2021, 3, 5),
        )
    return retrofit


def page(client, community) -> str:
    response = client.get(reverse("site:community", args=[community.pk]), **EN)
    assert response.status_code == 200
    return response.content.decode()


def shares_section(content: str) -> str:
    if 'id="elevator-shares-title"' not in content:
        return ""
    return content.split('id="elevator-shares-title"')[1].split("</section>\n</section>")[0]


# --- Shares by floor --------------------------------------------------------------------------


def test_the_community_page_shows_the_shares_by_floor_once_noticed(client, mudan):
    retrofit_in(mudan, ElevatorStage.PUBLIC_NOTICE)

    shares = shares_section(page(client, mudan))

    assert "How the owners share the cost of each elevator" in shares
    assert "3号楼, unit 1" in shares
    assert "¥480,000" in shares and "¥150,000" in shares
    assert "¥330,000" in shares  # paid by the owners: the cost less the subsidy
    # Floors 3–6 weigh 0.7, 0.8, 0.9 and 1.0 × 160 m² of the 3.4 × 160 m² that pays.
    assert "¥67,941.18" in shares  # the 3rd floor together
    assert "¥33,970.59" in shares  # each of its two households
    assert "¥97,058.82" in shares  # the 6th floor together
    assert "1F" in shares and "¥0" in shares  # the ground floor pays nothing


def test_the_shares_of_each_floor_add_up_to_the_owners_part(client, mudan):
    retrofit = retrofit_in(mudan, ElevatorStage.APPROVAL, total_cost=Decimal("333333.33"))

    response = client.get(reverse("site:community", args=[mudan.pk]), **EN)

    [row] = response.context["elevator_shares"]
    assert row["elevator"] == retrofit
    assert sum(floor["amount"] for floor in row["floors"]) == Decimal("183333.33")
    assert [floor["floor"] for floor in row["floors"]] == [1, 2, 3, 4, 5, 6]
    amounts = [floor["amount"] for floor in row["floors"]]
    assert amounts == sorted(amounts)  # equal areas: a higher floor never pays less


@pytest.mark.parametrize("stage", [ElevatorStage.INTENTION, ElevatorStage.DESIGN])
def test_no_shares_are_shown_before_the_public_notice(client, mudan, stage):
    retrofit_in(mudan, stage)

    content = page(client, mudan)

    assert shares_section(content) == ""
    assert "Elevator retrofits" in content  # the stage is shown all the same


def test_no_shares_are_shown_for_a_withdrawn_retrofit(client, mudan):
    retrofit_in(
        mudan,
        ElevatorStage.WITHDRAWN,
        consent_on=date(2021, 4, 1),
        design_on=date(2021, 5, 1),
        notice_on=date(2021, 6, 1),
        withdrawn_on=date(2021, 6, 15),
    )

    assert shares_section(page(client, mudan)) == ""


def test_a_noticed_retrofit_without_households_shows_no_table(client, mudan):
    building = f.make_building(community=mudan, storeys=6)
    f.make_elevator(building=building, stage=ElevatorStage.PUBLIC_NOTICE)

    assert shares_section(page(client, mudan)) == ""


@pytest.mark.parametrize("count", [3, 30])
def test_the_page_reads_every_elevators_households_in_one_query(
    client, mudan, django_assert_num_queries, count
):
    for number in range(count):
        retrofit_in(mudan, ElevatorStage.IN_SERVICE, label=f"{number}号楼")

    # community with district, items (none, so no funding lines), elevators with their
    # buildings, facilities, current property service, proposals, plans (none, so no
    # documents), ratings per subject, latest comments; and 1 for the households of every unit
    # whose elevator has been noticed, however many, and 1 for their collection totals
    # (invoiced, collected, in arrears); 1 for the photos; 3 for the construction record
    # (inspections by kind, orders, acceptances; the items carry their settlement).
    with django_assert_num_queries(15):
        response = client.get(reverse("site:community", args=[mudan.pk]))

    assert len(response.context["elevator_shares"]) == count


def test_the_page_shows_what_the_owners_were_invoiced_and_have_paid(client, mudan, english):
    _unpaid, payment = make_invoices(community=mudan)
    retrofit = payment.retrofit
    totals = with_collection(ElevatorRetrofit.objects.filter(pk=retrofit.pk)).get()
    # Read for the noticed elevators alone, in one query of its own.
    response = client.get(reverse("site:community", args=[mudan.pk]), HTTP_ACCEPT_LANGUAGE="en")

    (row,) = response.context["elevator_shares"]
    assert row["elevator"].pk == retrofit.pk
    for name in COLLECTION_TOTALS:
        assert getattr(row["elevator"], name) == getattr(totals, name), name
    assert totals.owners_collected == Decimal("1000.00")
    assert totals.households_in_arrears == 3
    collection = re.search(
        r'<dl class="facts elevator-collection">(.*?)</dl>', response.content.decode(), re.S
    ).group(1)
    assert "Invoiced to the households</dt><dd>¥350,000<" in collection
    assert "Paid so far</dt><dd>¥1,000 " in collection
    assert re.search(r"Households yet to pay in full</dt><dd>3<", collection)


def test_the_page_reads_no_household_while_no_elevator_is_noticed(
    client, mudan, django_assert_num_queries
):
    for number in range(3):
        retrofit_in(mudan, ElevatorStage.DESIGN, label=f"{number}号楼")

    # the same as above, without the households and the collection totals
    with django_assert_num_queries(13):
        response = client.get(reverse("site:community", args=[mudan.pk]))

    assert response.context["elevator_shares"] == []


# --- No personal data anywhere public ---------------------------------------------------------


def personal_data_in(text: str) -> list[str]:
    found = [name for name in OWNER_NAMES if name in text]
    if OWNER_PHONE in text:
        found.append(OWNER_PHONE)
    found += [
        room(floor, door) for floor in range(1, 7) for door in (1, 2) if room(floor, door) in text
    ]
    return found


def test_no_owner_name_phone_or_room_appears_on_a_public_page(client, mudan):
    noticed = retrofit_in(mudan, ElevatorStage.IN_SERVICE)
    retrofit_in(mudan, ElevatorStage.INTENTION, label="5号楼")
    pages = [
        reverse("site:home"),
        reverse("site:community-list"),
        reverse("site:community-export"),
        reverse("site:map"),
        reverse("site:district", args=["370902"]),
        reverse("site:community", args=[mudan.pk]),
        reverse("site:satisfaction"),
    ]

    for path in pages:
        for language in ("en", "zh-hans"):
            response = client.get(path, HTTP_ACCEPT_LANGUAGE=language)
            assert response.status_code == 200, path
            text = b"".join(response).decode() if response.streaming else response.content.decode()
            assert personal_data_in(text) == [], (path, language)
    assert "¥33,970.59" in page(client, mudan)  # the page does show the shares
    assert noticed.building.community == mudan


def test_no_owner_name_phone_or_room_appears_in_an_anonymous_api_response(mudan):
    retrofit = retrofit_in(mudan, ElevatorStage.IN_SERVICE)
    client = api_client()
    paths = [
        f"{API}/elevator-retrofits/",
        f"{API}/elevator-retrofits/{retrofit.pk}/",
        f"{API}/elevator-retrofits/{retrofit.pk}/vote/",
        f"{API}/elevator-retrofits/{retrofit.pk}/cost-shares/",
        f"{API}/elevator-retrofits/{retrofit.pk}/transitions/",
        f"{API}/communities/",
        f"{API}/communities/{mudan.pk}/",
        f"{API}/communities/geojson/",
        f"{API}/buildings/",
    ]

    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        assert personal_data_in(response.content.decode()) == [], path
    for path in (
        f"{API}/elevator-retrofits/{retrofit.pk}/votes/",
        f"{API}/elevator-retrofits/{retrofit.pk}/households/",
    ):
        assert client.get(path).status_code == 401
    shares = client.get(f"{API}/elevator-retrofits/{retrofit.pk}/cost-shares/").json()
    assert len(shares["households"]) == 12  # the shares themselves are public
