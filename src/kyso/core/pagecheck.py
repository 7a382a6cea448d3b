"""What a person reads on a page, checked for what he should never see (issue 17, point 2): an English
message that has a Vietnamese translation, an internal code (`integrity.digest`, `TOTAL_PASSED`,
`keyCompromise`, `[lifecycle.request.out_of_order]`, `Record object (9)`, a Python dict), an ISO date or time,
a month as YYYY-MM, a raw attribute type (`2.5.4.12=`).

Used by the render-every-page test and by `kyso checkpages` on a running demo."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path

_SKIP_TAGS = {"script", "style", "pre", "template", "noscript"}       # <pre>: data shown whole (a PEM certificate)
# What a page shows as a code (a dossier code, a unit code, an address, a key's identifier) is read for English words
# only: an English name written as an identifier (`email`, `in_service_on`) is a word a person reads, not a code.
_CODE_TAGS = {"code", "kbd", "samp"}
_ENGLISH_IDENTIFIER = re.compile(r"^(?:[a-z]{3,}|[a-z]+(?:_[a-z]+)+)$")
_ISO_DATE = re.compile(r"(?<![\d/.-])\d{4}-\d{2}-\d{2}(?![\d-])")
_ISO_TIME = re.compile(r"\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[+-]\d{2}:\d{2}|Z)")
_YEAR_MONTH = re.compile(r"(?<![\d/.-])(?:19|20)\d{2}-(?:0[1-9]|1[0-2])(?![\d-])")
_DOTTED_CODE = re.compile(r"(?<![\w@/.:-])[a-z][a-z0-9_]*(?:\.[a-z0-9_]+){1,5}(?![\w@/-])")
_UPPER_CODE = re.compile(r"\b[A-Z][A-Z0-9]+(?:_[A-Z0-9]+)+\b")
# A key written as an identifier (`birth_date`, `parent_code`): what a column or a field is called in the code.
_SNAKE_CODE = re.compile(r"(?<![\w@/.:-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w@/.-])")
_CAMEL_CODE = re.compile(r"\b[a-z]+(?:[A-Z][a-z]+)+\b")
_BRACKET_CODE = re.compile(r"\[[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+\]")
# Validation results and revocation reasons written as one word (TOTAL_PASSED is caught by _UPPER_CODE).
_BARE_CODE = re.compile(r"\b(?:INDETERMINATE|PASSED|FAILED|REVOKED|EXPIRED|"
                        r"superseded|unspecified|certificateHold|removeFromCRL)\b")
_MODEL_REPR = re.compile(r"\b[A-Z]\w+ object \(\d+\)")
_DICT_REPR = re.compile(r"\{'[^']+': ")
_OID_ATTR = re.compile(r"\b\d+(?:\.\d+){3,}=")
_ENGLISH = frozenset("the of and is are was to for with from by on in at this that be not no yes your you an as or it "
                     "has have will waiting signed pending created updated deleted approved rejected valid invalid "
                     "request document certificate unit user status state date time none true false new open "
                     "closed sent received".split())
# Words that alone fill a table cell or a badge: a state or a history step shown as stored.
_ENGLISH_ALONE = frozenset("registered drafted submitted approved signed issued dispatched replaced assigned done "
                           "pending refused expired failed active revoked suspended good received sent handled "
                           "rejected cancelled canceled draft closed open valid invalid".split())
_VIETNAMESE = re.compile(r"[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]", re.I)
# Words that look like codes but are what people write: file names, domains, addresses, version numbers.
_ALLOWED_DOTTED = re.compile(r"^(?:[\w-]+\.(?:pdf|xml|xlsx|csv|docx|p7s|zip|png|crt|crl|pem)|[\w.-]+\.(?:vn|com|org|net|gov)|"
                             r"kyso\.\w+|www\..*)$")


@dataclass
class Problem:
    kind: str
    text: str

    def __str__(self):
        return f"{self.kind}: {self.text!r}"


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth_skip = 0
        self.depth_code = 0
        self.chunks: list[str] = []
        self.code_chunks: list[str] = []
        self.attrs_text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in _SKIP_TAGS:
            self.depth_skip += 1
        if tag in _CODE_TAGS:
            self.depth_code += 1
        for name, value in attrs:
            if name in ("title", "placeholder", "aria-label", "alt") and value:
                self.attrs_text.append(value)
            if name == "value" and tag == "input" and dict(attrs).get("type") in ("submit", "button"):
                self.attrs_text.append(value or "")

    def handle_endtag(self, tag):
        if tag in _SKIP_TAGS and self.depth_skip:
            self.depth_skip -= 1
        if tag in _CODE_TAGS and self.depth_code:
            self.depth_code -= 1

    def handle_data(self, data):
        if not self.depth_skip and data.strip():
            (self.code_chunks if self.depth_code else self.chunks).append(" ".join(data.split()))


def visible_text(html: str) -> list[str]:
    parsed = _parsed(html)
    return parsed.chunks + parsed.attrs_text


def _parsed(html: str) -> _Text:
    parser = _Text()
    parser.feed(html)
    return parser


def _english_in_code(chunk: str) -> list[str]:
    """English in what a page shows as a code: a sentence, or a word written as an identifier."""
    if _VIETNAMESE.search(chunk):
        return []
    if _looks_english(chunk):
        return [chunk[:120]]
    return [t for t in re.split(r"[\s,;()]+", chunk) if _ENGLISH_IDENTIFIER.match(t)]


@lru_cache(maxsize=1)
def english_msgids() -> frozenset[str]:
    """Every English message of Kyso's catalogues whose Vietnamese translation differs from it."""
    import polib

    root = Path(__file__).resolve().parent.parent
    ids = set()
    for po_path in root.glob("**/locale/vi/LC_MESSAGES/django.po"):
        for entry in polib.pofile(str(po_path)).translated_entries():
            if entry.msgstr and entry.msgstr != entry.msgid and len(entry.msgid) > 3 and "%" not in entry.msgid \
                    and re.search(r"[a-z]{3}", entry.msgid) and " " in entry.msgid.strip():
                ids.add(entry.msgid.strip())
    return frozenset(ids)


def _looks_english(chunk: str) -> bool:
    if _VIETNAMESE.search(chunk):
        return False
    # file names, hashes and addresses are data, not sentences
    text = " ".join(t for t in chunk.split() if not re.search(r"[\d.@/_]", t))
    words = re.findall(r"[A-Za-z]+", text.lower())
    return len(words) >= 2 and sum(w in _ENGLISH for w in words) >= 2


def problems(html: str, *, allowed: tuple[str, ...] = (), allowed_words: frozenset = frozenset()) -> list[Problem]:
    """`allowed`: substrings that exempt a whole chunk (data shown as data); `allowed_words`: identifiers people
    see on purpose (login names)."""
    found: list[Problem] = []
    english = english_msgids()
    parsed = _parsed(html)
    for chunk in parsed.code_chunks:
        if not any(a in chunk for a in allowed):
            found.extend(Problem("english", word) for word in _english_in_code(chunk) if word not in allowed_words)
    for chunk in parsed.chunks + parsed.attrs_text:
        if any(a in chunk for a in allowed):
            continue
        if chunk in english:
            found.append(Problem("untranslated", chunk))
        elif _looks_english(chunk):
            found.append(Problem("english", chunk[:120]))
        elif chunk.strip(" .:·").lower() in _ENGLISH_ALONE:
            found.append(Problem("english", chunk))
        for pattern, kind in ((_ISO_DATE, "iso-date"), (_ISO_TIME, "iso-time"), (_YEAR_MONTH, "year-month"),
                              (_UPPER_CODE, "code"), (_SNAKE_CODE, "code"), (_BARE_CODE, "code"), (_BRACKET_CODE, "code"), (_MODEL_REPR, "object"),
                              (_DICT_REPR, "dict"), (_OID_ATTR, "oid")):
            for m in pattern.finditer(chunk):
                found.append(Problem(kind, m.group(0)))
        for m in _DOTTED_CODE.finditer(chunk):
            word = m.group(0)
            if word not in allowed_words and not _ALLOWED_DOTTED.match(word) and not re.match(r"^\d", word):
                found.append(Problem("code", word))
        for m in _CAMEL_CODE.finditer(chunk):
            found.append(Problem("code", m.group(0)))
    return found
