"""The JSON body of every API request: an object, of sane numbers, or a 4xx with a stable code.

Every endpoint takes a JSON object (named fields); a list, a string, a number or `null` as the whole body is
refused (`body_not_object`) instead of reaching code that expects fields. Integers are bounded to 64 bits
(`number_out_of_range`: no overflow in the database or in Python), floats must be finite, nesting too deep
for the parser is `malformed_request`, so that no body can turn into a server error. No string of a body — JSON,
form or multipart — may hold control characters (`invalid_input.control_characters`, naming the fields).
"""

from __future__ import annotations

import codecs
import json
import math

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework import parsers
from rest_framework.parsers import JSONParser

from kyso.core.validators import check_text

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1


class BodyNotObject(ParseError):
    kyso_code = "body_not_object"


class NumberOutOfRange(ParseError):
    kyso_code = "number_out_of_range"


class MalformedBody(ParseError):
    kyso_code = "malformed_request"


def _int(text: str) -> int:
    if len(text.lstrip("-")) > 19:
        raise NumberOutOfRange()
    value = int(text)
    if not INT64_MIN <= value <= INT64_MAX:
        raise NumberOutOfRange()
    return value


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise NumberOutOfRange()
    return value


def _constant(name: str):
    raise MalformedBody()  # NaN, Infinity, -Infinity are not JSON


def loads_object(text: str) -> dict:
    """Parse a request body that must be a JSON object; raise one of the errors above otherwise."""
    try:
        data = json.loads(text, parse_int=_int, parse_float=_float, parse_constant=_constant)
    except ParseError:
        raise
    except (ValueError, RecursionError):
        raise MalformedBody() from None
    if not isinstance(data, dict):
        raise BodyNotObject()
    check_text(data)
    return data


class JsonObjectParser(JSONParser):
    """DRF's JSON parser, but the body must be a JSON object of bounded numbers and depth."""

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = codecs.getreader(encoding)(stream).read()
        except (UnicodeDecodeError, LookupError):
            raise MalformedBody() from None
        return loads_object(text)


class FormParser(parsers.FormParser):
    """Form fields without control characters."""

    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        check_text(dict(data.lists()))
        return data


class MultiPartParser(parsers.MultiPartParser):
    """Form fields beside the files without control characters."""

    def parse(self, stream, media_type=None, parser_context=None):
        result = super().parse(stream, media_type, parser_context)
        check_text(dict(result.data.lists()))
        return result
