"""Construction supervision's rules as pure functions: the unified social credit code's check
digit, the order of an item's statuses, when an order is overdue, when an item may be
accepted and by how much a settlement overspends."""

from datetime import date
from decimal import Decimal

from communities.construction.choices import OrderStatus

# GB 32100-2015, 法人和其他组织统一社会信用代码编码规则: 18 characters from 31 (no I, O, Z, S, V),
# the 18th a check character over the first 17.
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_check_character(first17: str) -> str:
    """The check character of the first 17 characters: 31 − (Σ value × weight mod 31), where
    31 is written 0."""
    total = sum(
        CREDIT_CODE_ALPHABET.index(char) * weight
        for char, weight in zip(first17, CREDIT_CODE_WEIGHTS, strict=True)
    )
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def credit_code_valid(code: str) -> bool:
    """18 characters of the alphabet whose last is the check character of the others."""
    if not isinstance(code, str) or len(code) != 18:
        return False
    if any(char not in CREDIT_CODE_ALPHABET for char in code):
        return False
    return credit_code_check_character(code[:17]) == code[17]


# How far along each status of an item is; cancelling is not moving forward.
ITEM_STATUS_RANK = {
    "planned": 0,
    "designing": 1,
    "under_construction": 2,
    "completed": 3,
    "accepted": 4,
}


def status_moves_forward(*, before: str, after: str) -> bool:
    if before not in ITEM_STATUS_RANK or after not in ITEM_STATUS_RANK:
        return False
    return ITEM_STATUS_RANK[after] > ITEM_STATUS_RANK[before]


def order_overdue(*, status: str, deadline: date | None, on: date) -> bool:
    """Still open (not reported fixed) after its deadline: the deadline day itself is in time."""
    return status == OrderStatus.OPEN and deadline is not None and deadline < on


def overspend(*, budget: Decimal | None, settled: Decimal | None) -> Decimal:
    """How much a settled (audited) amount is over the budget; zero when within it."""
    if budget is None or settled is None or settled <= budget:
        return Decimal("0")
    return settled - budget


def acceptance_refusal(*, item_status: str) -> str:
    """Why an acceptance cannot be recorded for an item in this status
    (a code; empty when it can): an acceptance is of a completed item, and an accepted item
    has had its acceptance (a refusal afterwards changes nothing)."""
    if item_status == "accepted":
        return "already_accepted"
    if item_status != "completed":
        return "not_completed"
    return ""
