"""Number formatting, and residents' free text, for the public site.

Free text residents wrote goes through ``public_text``: phone numbers masked.

Figures are grouped by thousands with a comma in both languages (as the city's reports print
them), whatever the locale's own grouping; money in charts is shortened to 万元 in Chinese and
to millions of yuan in English.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.utils.translation import get_language, gettext

from communities.core import masking

register = template.Library()


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


@register.filter
def grouped(value, decimals: int = 0) -> str:
    """``7530000`` → ``7,530,000``; ``decimals`` digits after the point, rounded half up as
    people round (Python's own formatting rounds half to even)."""
    number = _decimal(value)
    if number is None:
        return ""
    places = int(decimals)
    rounded = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return f"{rounded:,.{places}f}"


@register.filter
def money(value) -> str:
    """Yuan with thousands grouped; cents only when there are any: ``¥1,200`` or ``¥1,200.50``."""
    number = _decimal(value)
    if number is None:
        return ""
    text = grouped(number, 2)
    if text.endswith(".00"):
        text = text[:-3]
    return f"¥{text}"


@register.filter
def money_short(value) -> str:
    """A large sum at a glance: ``1,234.5万元`` in Chinese, ``¥12.3 million`` in English."""
    number = _decimal(value)
    if number is None:
        return ""
    if (get_language() or "zh").startswith("zh"):
        return gettext("%(amount)s 10k yuan") % {"amount": _short(number / 10000)}
    return gettext("¥%(amount)s million") % {"amount": _short(number / 1000000)}


def _short(number: Decimal) -> str:
    """One decimal for small numbers, none once the tenths no longer matter."""
    return grouped(number, 0 if abs(number) >= 100 else 1)


@register.filter
def public_text(value) -> str:
    """Free text residents wrote, as the public may read it: phone numbers masked
    (``core.masking.public_text``)."""
    return masking.public_text(str(value)) if value else value


@register.filter
def percent_of(value, total) -> float:
    """``value`` as a percentage of ``total`` (0 when the total is 0), for bar widths."""
    number, whole = _decimal(value), _decimal(total)
    if number is None or not whole:
        return 0.0
    return round(float(number / whole * 100), 1)
