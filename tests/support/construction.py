"""Builders for construction supervision: parties, item parties, inspections, findings and
rectification orders. Every row is saved through ``full_clean()``; order dates are relative to
today so "overdue" means the same whatever day the tests run."""

from datetime import date, timedelta
from itertools import count

from communities.construction.choices import InspectionKind, PartyRole, Severity
from communities.construction.models import Finding, Inspection, ItemParty, Party
from communities.construction.policy import CREDIT_CODE_ALPHABET, credit_code_check_character
from communities.construction.services import rectification_order_issue
from communities.core import clock
from tests.support.factories import make_item

_numbers = count(1)

# Checked by hand in tests/construction/test_policy.py.
VALID_CODE = "914403001922038216"


def credit_code(number: int | None = None) -> str:
    """A valid code: 9137 0900 (a Tai'an company) + 9 characters from ``number`` + its check."""
    number = next(_numbers) if number is None else number
    body = ""
    for _ in range(9):
        number, digit = divmod(number, 31)
        body = CREDIT_CODE_ALPHABET[digit] + body
    first17 = "91370900" + body
    return first17 + credit_code_check_character(first17)


def make_party(**fields) -> Party:
    fields.setdefault("name", f"泰安测试建设工程有限公司{next(_numbers)}")
    fields.setdefault("credit_code", credit_code())
    if not any(fields.get(f"is_{role}") for role in PartyRole.values):
        fields["is_contractor"] = True
    party = Party(**fields)
    party.full_clean()
    party.save()
    return party


def link(item, party, role: str = PartyRole.CONTRACTOR) -> ItemParty:
    row = ItemParty(item=item, party=party, role=role)
    row.full_clean()
    row.save()
    return row


def make_inspection(**fields) -> Inspection:
    item = fields.get("item")
    if "community" not in fields:
        fields["community"] = item.community if item is not None else make_item().community
    fields.setdefault("visited_on", date(2024, 5, 10))
    fields.setdefault("inspector", "泰安市住建局质量安全科 张工")
    fields.setdefault("kind", InspectionKind.SAFETY)
    inspection = Inspection(**fields)
    inspection.full_clean()
    inspection.save()
    return inspection


def make_finding(**fields) -> Finding:
    fields.setdefault("inspection", fields.get("inspection") or make_inspection())
    fields.setdefault("severity", Severity.GENERAL)
    fields.setdefault("description", "脚手架连墙件缺失")
    fields.setdefault("standard_cited", "JGJ 130-2011 6.4")
    finding = Finding(**fields)
    finding.full_clean()
    finding.save()
    return finding


def make_order(*, finding=None, contractor=None, days_left: int = 10, issued_days_ago: int = 20):
    """An open order issued ``issued_days_ago`` days ago, due in ``days_left`` days (negative:
    overdue)."""
    today = clock.today()
    return rectification_order_issue(
        finding=finding or make_finding(),
        contractor=contractor or make_party(),
        issued_on=today - timedelta(days=issued_days_ago),
        deadline=today + timedelta(days=days_left),
    )
