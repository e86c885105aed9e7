"""Places' rules that need no database: the sort keys of names and numbers.

A stored sort key orders rows as a reader expects, the same on SQLite and PostgreSQL:

- ``natural_key``: numbers by value, not digit by digit (1号楼, 2号楼 … 10号楼, not 1, 10, 2);
- ``pinyin_key``: Chinese names by their pinyin (安 before 白 before 岱), numbers by value.

Both keys are made of lower-case ASCII letters and digits only, so a byte-wise collation
(SQLite's BINARY, PostgreSQL's "C") and a language collation (en_US.UTF-8, ICU) order them
alike: no space or punctuation for a collation to ignore, no case to fold.
"""

import re
import unicodedata

from pypinyin import Style, lazy_pinyin

# The stored keys' column width; a longer key is cut (only its tail stops counting).
SORT_KEY_LENGTH = 255
# A number is padded to this many digits, so that 9 sorts before 10 (a longer one stays whole).
NUMBER_WIDTH = 10
# A syllable (or a Latin word) is padded to this many characters with "0", which sorts below
# every letter: "an" < "ang" < "ba" whatever follows. The longest pinyin syllable
# (zhuang, chuang, shuang) has six letters.
SYLLABLE_WIDTH = 6

_RUNS = re.compile(r"\d+|[a-z]+")


def _ascii_runs(text: str) -> list[str]:
    """The runs of digits and of Latin letters in ``text``, lower case (full-width forms and
    accents folded); anything else (spaces, punctuation, other scripts) is dropped."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return _RUNS.findall(folded)


def _run_key(run: str) -> str:
    if run.isdigit():
        return run.lstrip("0").rjust(NUMBER_WIDTH, "0")
    return run.ljust(SYLLABLE_WIDTH, "0")


def natural_key(text: str) -> str:
    """Building and room numbers: every number padded (``3号楼`` → ``0000000003``…), letters
    kept, Chinese characters by their pinyin so that 东区3号楼 and 西区3号楼 stay apart."""
    return pinyin_key(text)


def pinyin_key(text: str) -> str:
    """A name's key: each Chinese character's pinyin (no tones, ü as v), each number by value,
    each Latin word in lower case, padded so that shorter sorts first."""
    parts: list[str] = []
    for token in lazy_pinyin(text or "", style=Style.NORMAL, errors="default"):
        parts.extend(_run_key(run) for run in _ascii_runs(token))
    return "".join(parts)[:SORT_KEY_LENGTH]


# --- Short searches --------------------------------------------------------------------------
# A search of one or two characters (和, 和平) cannot use a trigram index: it has no trigram.
# Each community therefore stores the characters and the pairs of neighbouring characters of
# its text (Community.search_grams, space-separated), indexed on PostgreSQL as an array (GIN):
# a term of one or two characters is in a column exactly when it is one of that column's grams.
SHORT_TERM_LENGTH = 2
# Grams of the subdistrict and the neighbourhood committee carry this prefix, so that a search
# of the name and address alone (the API's ?q=) does not match them. A plain gram has at most
# two characters, so no plain gram can look like a prefixed one.
LOCALITY_PREFIX = "s:"


def text_grams(text: str) -> set[str]:
    """Every character of ``text`` and every pair of neighbouring characters, in lower case,
    whitespace left out (no gram holds a space: the grams are stored space-separated)."""
    text = (text or "").lower()
    grams: set[str] = set()
    for index, char in enumerate(text):
        if char.isspace():
            continue
        grams.add(char)
        pair = text[index : index + 2]
        if len(pair) == 2 and not pair[1].isspace():
            grams.add(pair)
    return grams


def search_grams(*, name: str, address: str, subdistrict: str, neighbourhood: str) -> str:
    """A community's stored grams: its name's and address's, then its subdistrict's and
    neighbourhood committee's with ``LOCALITY_PREFIX``, sorted, separated by spaces."""
    plain = text_grams(name) | text_grams(address)
    local = {LOCALITY_PREFIX + gram for gram in text_grams(subdistrict) | text_grams(neighbourhood)}
    return " ".join(sorted(plain | local))


def short_search_term(term: str) -> str | None:
    """``term`` in lower case when the grams can answer it (one or two characters, no
    whitespace), else None: longer terms go to icontains (trigram-indexed on PostgreSQL)."""
    if 1 <= len(term) <= SHORT_TERM_LENGTH and not any(char.isspace() for char in term):
        folded = term.lower()
        if len(folded) == len(term):
            return folded
    return None
