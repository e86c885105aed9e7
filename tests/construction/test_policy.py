"""The unified social credit code's check character (GB 32100-2015), worked by hand."""

import pytest
from django.core.exceptions import ValidationError

from communities.construction.models import CreditCodeValidator
from communities.construction.policy import (
    credit_code_check_character,
    credit_code_valid,
    order_overdue,
    status_moves_forward,
)


def test_it_computes_the_check_character_as_worked_by_hand():
    # 9 1 4 4 0 3 0 0 1 9 2 2 0 3 8 2 1 by the weights 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10
    # 30 28: 9 + 3 + 36 + 108 + 0 + 78 + 0 + 0 + 20 + 261 + 50 + 26 + 0 + 72 + 80 + 60 + 28 = 831;
    # 831 mod 31 = 25; 31 - 25 = 6: the check character is "6".
    assert credit_code_check_character("91440300192203821") == "6"
    assert credit_code_valid("914403001922038216")


def test_a_letter_counts_by_its_place_in_the_alphabet():
    # 9 1 1 1 0 0 0 0 8 0 2 1 0 0 4 3 3:
    # 9·1 + 1·3 + 1·9 + 1·27 + 8·20 + 2·25 + 1·13 + 4·10 + 3·30 + 3·28 = 485; 485 mod 31 = 20;
    # 31 - 20 = 11, and the 12th character of 0-9ABCDEFGHJKLMNPQRTUWXY (from 0) is "B".
    assert credit_code_check_character("91110000802100433") == "B"
    assert credit_code_valid("91110000802100433B")


def test_a_remainder_of_zero_gives_the_check_character_zero():
    # 31 - 0 = 31, written 0: "00000000000000000" sums to 0.
    assert credit_code_check_character("00000000000000000") == "0"


@pytest.mark.parametrize(
    "code",
    [
        "914403001922038217",  # wrong check character
        "91440300192203821",  # 17 characters
        "9144030019220382160",  # 19 characters
        "91440300192203821I",  # I is not in the alphabet
        "9144O3001922038216",  # nor O
        "914403001922038216 ",
        "",
        "914403001922038216\x00",
    ],
)
def test_it_refuses_what_is_not_a_valid_code(code):
    assert not credit_code_valid(code)
    with pytest.raises(ValidationError):
        CreditCodeValidator()(code)


def test_an_order_is_overdue_only_when_still_open_after_its_deadline():
    from datetime import date

    day = date(2025, 6, 10)
    assert order_overdue(status="open", deadline=date(2025, 6, 9), on=day)
    assert not order_overdue(status="open", deadline=day, on=day)  # the last day is in time
    assert not order_overdue(status="reported_fixed", deadline=date(2025, 6, 1), on=day)
    assert not order_overdue(status="closed", deadline=date(2025, 6, 1), on=day)


def test_status_forward_means_further_along_not_cancelled():
    assert status_moves_forward(before="under_construction", after="completed")
    assert not status_moves_forward(before="under_construction", after="cancelled")
    assert not status_moves_forward(before="completed", after="under_construction")
