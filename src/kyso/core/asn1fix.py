"""A field left out because it has its DEFAULT value (DER requires leaving it out: the hash algorithm of a
signing-certificate-v2 entry, SHA-256) is filled in by asn1crypto when the structure is read, with a value it
builds — and marks as changed. From then on every enclosing structure counts as changed, and each time its
encoding is asked for it encodes its whole content again, each level asking the levels below: a CAdES archive
of 20 KB, with such entries inside the time-stamp tokens inside its attributes, took minutes to read or extend.

What is read is not changed: after asn1crypto reads a structure's fields, a value it filled in for a missing
default is encoded once and no longer counted as a change. The encodings produced are the same (a value equal
to its default is left out either way)."""

from __future__ import annotations

from asn1crypto import core


def _settle_defaults(value) -> None:
    for child in value.children or ():
        if isinstance(child, core.Sequence) and child._mutated and child._header is None:
            child._set_contents()
            child._mutated = False


def _settled(parse):
    def parse_children(self, recurse=False):
        parse(self, recurse)
        _settle_defaults(self)

    parse_children.__wrapped__ = parse
    return parse_children


for _cls in (core.Sequence, core.Set):
    _method = vars(_cls).get("_parse_children")
    if _method is not None and not hasattr(_method, "__wrapped__"):
        _cls._parse_children = _settled(_method)
