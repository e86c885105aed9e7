"""Free text as the public may read it: phone numbers (full-width digits and separators
included) and the given names masked, wherever text reaches anonymous readers (REST,
Open311, the site)."""

import re
import unicodedata

# --- What each reader sees --------------------------------------------------------------------

# Phone numbers in free text, matched in the text's NFKC form (full-width digits and separators
# read as ASCII): mobile numbers (13912345678, +86 139 1234 5678, 139.1234.5678) and landlines
# with their area code (0538-1234567, (0538) 12345678). Between digits one separator may stand:
# spaces, or a dot, dash or middle dot with spaces around it. Commas never join digits into a
# number, so amounts (12,345.00) stay, and a date (2024-03-01) has too few digits.
_SEPARATOR = r"(?:[ \t]{0,2}[.\-\u2010-\u2015\u2212\u00b7\u30fb][ \t]{0,2}|[ \t]{1,3})"
_PHONE = re.compile(
    rf"(?<!\d)(?:(?:\(?(?:\+|00)86\)?|86){_SEPARATOR}?)?1[3-9]\d(?:{_SEPARATOR}?\d){{8}}(?!\d)"
    rf"|(?<!\d)(?:\((?:(?:\+|00)?86{_SEPARATOR}?)?0\d{{2,3}}\)[ \t]{{0,2}}|0\d{{2,3}}{_SEPARATOR}?)"
    rf"\d{{3,4}}{_SEPARATOR}?\d{{4}}(?!\d)"
)
_DIGIT = re.compile(r"\d")


def _folded(text: str) -> tuple[str, list[int]]:
    """``text`` in NFKC, character by character, and for each folded character the index of
    the original character it came from (so a match in the folded text masks the original)."""
    parts: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        part = char if char.isascii() else unicodedata.normalize("NFKC", char)
        parts.append(part)
        origin.extend([index] * len(part))
    return "".join(parts), origin


def mask_phones(text: str) -> str:
    """``text`` with the digits of every phone number in it replaced by ``*``; everything else,
    the separators and full-width forms included, is left as it was written."""
    if not text:
        return text
    folded, origin = _folded(text)
    chars = list(text)
    for match in _PHONE.finditer(folded):
        for index in range(origin[match.start()], origin[match.end() - 1] + 1):
            char = chars[index]
            if _DIGIT.search(char if char.isascii() else unicodedata.normalize("NFKC", char)):
                chars[index] = "*"
    return "".join(chars)


def public_text(text: str, *, names: tuple[str, ...] = ()) -> str:
    """Free text as the public may read it: phone numbers (``mask_phones``) and the given
    names masked.

    Residents type their number and name into descriptions ("请联系王秘密 13912345678", in
    full-width digits or with dots and spaces between them too); the reporter's details are
    staff-only wherever they appear.
    """
    if not text:
        return text
    masked = mask_phones(text)
    for name in names:
        name = (name or "").strip()
        if len(name) >= 2:
            masked = masked.replace(name, "*" * len(name))
    return masked
