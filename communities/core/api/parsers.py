"""The API's JSON parser: DRF's, refusing bodies nested deeper than ``API_MAX_JSON_DEPTH``.

``json.loads`` recurses once per level of nesting, so a body of 100,000 ``[`` raises
``RecursionError`` (a 500) before anything could look at it, and what parses at 900 levels
may still overflow in a serializer. No field of the API nests more than a few levels, so the
depth is counted first, without recursion: strings are cut out with one regular expression
and the brackets that remain counted.

A NUL character in any string or key (``"\u0000"``) is refused too: PostgreSQL stores none
in text or jsonb, and would answer the write with an error instead of a message.
"""

import codecs
import re

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError
from rest_framework.utils import json

# A JSON string: quotes around anything but a quote or backslash, or an escaped character.
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")


def json_depth(text: str) -> int:
    """The deepest nesting of arrays and objects in ``text`` (0 for a bare value)."""
    depth = deepest = 0
    for bracket in _BRACKET.findall(_STRING.sub("", text)):
        if bracket in "[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def too_deep_message(limit: int) -> str:
    return _("The JSON body is nested more than %(limit)s levels deep.") % {"limit": limit}


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser with the depth limit: a body too deep is a 400 that says so."""

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = parsers.get_encoding(parser_context or {})
        try:
            text = codecs.getreader(encoding)(stream).read()
        except ValueError as exc:  # not in the declared encoding
            raise ParseError(_("JSON parse error - %(error)s") % {"error": exc}) from exc
        limit = settings.API_MAX_JSON_DEPTH
        if json_depth(text) > limit:
            raise ParseError(too_deep_message(limit))
        parse_constant = json.strict_constant if self.strict else None
        try:
            data = json.loads(text, parse_constant=parse_constant)
        except RecursionError as exc:
            raise ParseError(too_deep_message(limit)) from exc
        except ValueError as exc:
            raise ParseError(_("JSON parse error - %(error)s") % {"error": exc}) from exc
        if "\x00" in text or _holds_nul(data):
            raise ParseError(_("NUL characters are not allowed."))
        return data


def _holds_nul(data) -> bool:
    """Whether any string or key in the parsed body holds a NUL (no recursion: the depth is
    bounded already, but a wide body should not cost a call per value either)."""
    pending = [data]
    while pending:
        value = pending.pop()
        if isinstance(value, str):
            if "\x00" in value:
                return True
        elif isinstance(value, dict):
            pending.extend(value.keys())
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
    return False
