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
