"""Artefacts the agency issues are PDFs signed with the receiving office's organisation certificate
(`kyso.signing.seal.unit_seal`); a department without its own seal signs with its parent's."""

from __future__ import annotations

from kyso.signing.pdf import sign_pdf
from kyso.signing.seal import unit_seal


def sealing_unit(unit):
    while unit is not None and not unit.has_own_seal:
        unit = unit.parent
    return unit


def seal_pdf(pdf: bytes, unit, *, reason: str) -> bytes:
    from kyso.pki.ca import chain

    issued, key = unit_seal(sealing_unit(unit))
    return sign_pdf(pdf, key, issued.certificate, chain=chain(issued.ca.name), level="B-T", reason=reason)
