"""Reading the text, JSON, JSON Lines and TOML of a user's files: bytes that are no text are
refused (never kept as U+FFFD), nesting and whole numbers are bounded, and every failure is one
`InvalidImport` naming the file and the line.

Python's parsers raise RecursionError on deep nesting and ValueError on a whole number of more
than 4,300 digits, and hold values no journal could store; these loaders turn all of that into
one line a person can act on. Standard library only, so any layer can use them.
"""

from __future__ import annotations

import codecs
import json
import math
import re
import tomllib
from typing import Any, Final

from debrief.errors import InvalidImport

MAX_DEPTH: Final = 64  # lists and objects inside one another; a journal's backup needs 4
MAX_DIGITS: Final = 20  # 2**64 has 20: every whole number a journal holds has fewer

TOO_DEEP: Final = f"is nested more than {MAX_DEPTH} deep"
TOO_LONG: Final = f"holds a number of more than {MAX_DIGITS} digits"
HALF_CHARACTER: Final = "holds half of a character (an unpaired \\ud800-\\udfff escape)"

# What the nesting and the numbers of a JSON or TOML text are made of, strings and comments
# skipped whole (a bracket inside a string nests nothing); read only to find the line of a
# problem, once the parser has found one.
_TOKENS = re.compile(
    r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'|#[^\n]*'
    r"|(?P<open>[\[{])|(?P<close>[\]}])|(?P<constant>-?Infinity|NaN)"
    r"|(?P<number>[-+]?[0-9][0-9_]*(?:\.[0-9_]+)?(?:[eE][-+]?[0-9_]+)?)"
)
# A JSON escape of half a character (a UTF-16 surrogate): text cannot hold one alone.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_SURROGATE = re.compile("[\ud800-\udfff]")


class _Unbounded(ValueError):
    """A number the loaders refuse (raised from inside the JSON parser)."""


def text_of(data: bytes, source: str) -> str:
    """The bytes of a UTF-8 file as text (a byte-order mark is dropped); anything else is
    refused, naming the line and the byte offset of the first byte that is not UTF-8."""
    return _decoded(data, "utf-8-sig", source, "is not UTF-8 text")


def decoded_text(data: bytes, source: str) -> str:
    """The bytes of a text file a person saved, in whatever their editor uses: UTF-16 (by its
    byte-order mark, or by the zero bytes of mostly-ASCII text without one, as Windows Notepad
    saves it), else UTF-8, else Windows-1252 (older Windows programs and mail). Bytes that are
    none of these are refused, naming their line and offset, rather than kept as U+FFFD."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decoded(data, "utf-16", source, "is not UTF-16 text")
    if len(data) >= 4 and data.count(0) * 3 >= len(data):  # every other byte zero: UTF-16
        odd_zeros = data[1::2].count(0) >= data[0::2].count(0)
        encoding = "utf-16-le" if odd_zeros else "utf-16-be"
        return _decoded(data, encoding, source, "is not UTF-16 text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return _decoded(data, "cp1252", source, "is neither UTF-8 nor Windows-1252 text")


def _decoded(data: bytes, encoding: str, source: str, refused: str) -> str:
    """`data` decoded, or `refused` with the line and offset of the first byte at fault."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        offset = error.start + (3 if encoding == "utf-8-sig" and data[:3] == codecs.BOM_UTF8 else 0)
        line = data.count(b"\n", 0, offset) + 1
        reason = f"{refused} (byte {offset:,} is 0x{data[offset : offset + 1].hex()})"
        raise InvalidImport(source, f"line {line}", None, reason) from None


def load_json(data: str | bytes, source: str, *, line: int = 1) -> Any:
    """A JSON value from a user's file (`line`: the line it starts on, for one line of a JSON
    Lines file): at most MAX_DEPTH deep, whole numbers of at most MAX_DIGITS digits, no NaN or
    Infinity, no half characters."""
    text = data if isinstance(data, str) else text_of(data, source)
    try:
        value = json.loads(text, parse_int=_whole, parse_float=_finite, parse_constant=_no_constant)
    except json.JSONDecodeError as error:
        where = f"line {line + error.lineno - 1}"
        raise InvalidImport(
            source, where, None, f"is not JSON ({error.msg}, column {error.colno})"
        ) from None
    except _Unbounded as error:
        raise _located(text, source, line, "number", str(error)) from None
    except RecursionError:
        raise _located(text, source, line, "open", TOO_DEEP) from None
    if _depth_over(value):
        raise _located(text, source, line, "open", TOO_DEEP)
    # Text decoded from UTF-8 holds no half characters; escapes in it, or a str given, may.
    halves = _SURROGATE_ESCAPE.search(text) or (data is text and _SURROGATE.search(text))
    if halves and _half_characters(value):
        raise _located(text, source, line, "surrogate", HALF_CHARACTER)
    return value


def load_toml(data: str | bytes, source: str) -> dict[str, Any]:
    """A TOML document from a user's file: at most MAX_DEPTH deep, whole numbers of at most
    MAX_DIGITS digits."""
    text = data if isinstance(data, str) else text_of(data, source)
    try:
        value = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InvalidImport(source, None, None, f"is not valid TOML ({error})") from None
    except ValueError:  # a whole number longer than Python reads
        raise _located(text, source, 1, "number", TOO_LONG) from None
    except RecursionError:
        raise _located(text, source, 1, "open", TOO_DEEP) from None
    if _depth_over(value):
        raise _located(text, source, 1, "open", TOO_DEEP)
    if _number_over(value):
        raise _located(text, source, 1, "number", TOO_LONG)
    return value


def _whole(text: str) -> int:
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise _Unbounded(TOO_LONG)
    return int(text)


def _finite(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise _Unbounded(f"holds a number too large to store ({text[:20]})")
    return number


def _no_constant(name: str) -> float:
    raise _Unbounded(f"holds {name}, which is not a number JSON allows")


def _depth_over(value: Any) -> bool:
    """Whether lists and objects nest more than MAX_DEPTH deep (read without recursion)."""
    stack = [(value, 1)] if isinstance(value, dict | list) else []
    while stack:
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            return True
        children = item.values() if isinstance(item, dict) else item
        stack.extend((c, depth + 1) for c in children if isinstance(c, dict | list))
    return False


def _number_over(value: Any) -> bool:
    """Whether a whole number anywhere in `value` has more than MAX_DIGITS digits."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, int) and not isinstance(item, bool) and abs(item) >= 10**MAX_DIGITS:
            return True
    return False


def _half_characters(value: Any) -> bool:
    """Whether a string (or a key) anywhere in `value` holds half of a character."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str) and _SURROGATE.search(item):
            return True
    return False


def _located(text: str, source: str, first_line: int, kind: str, reason: str) -> InvalidImport:
    """The error `reason`, on the line where the text's first problem of this kind stands
    (without a line when the text alone does not show it)."""
    depth = 0
    for match in _TOKENS.finditer(text):
        found = match.lastgroup
        if found == "open":
            depth += 1
        elif found == "close":
            depth -= 1
        if (
            (kind == "open" and found == "open" and depth > MAX_DEPTH)
            or (kind == "number" and found == "constant")
            or (kind == "number" and found == "number" and _unbounded(match.group()))
            or (kind == "surrogate" and found is None and _half_character(match.group()))
        ):
            line = first_line + text.count("\n", 0, match.start())
            return InvalidImport(source, f"line {line}", None, reason)
    return InvalidImport(source, None, None, reason)


def _half_character(token: str) -> bool:
    """Whether a string token holds half of a character, raw or escaped."""
    if not token.startswith('"'):
        return False
    try:
        return bool(_SURROGATE.search(json.loads(token)))
    except ValueError:
        return False


def _unbounded(token: str) -> bool:
    digits = token.lstrip("+-").replace("_", "")
    if digits.isdigit():
        return len(digits.lstrip("0") or "0") > MAX_DIGITS
    try:
        return not math.isfinite(float(digits))
    except ValueError:
        return False
