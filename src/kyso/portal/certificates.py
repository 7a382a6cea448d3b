"""Certificates as Vietnamese public CAs issue them to employers and their staff, for the demo and the
tests: the holder's identifier in the subject's UID (`MST:<tax code>` for an organisation, `CCCD:<number>`
for a person), which the intake reads (`signers.holder_of`)."""

from __future__ import annotations

from dataclasses import dataclass

from cryptography import x509
from cryptography.x509.oid import NameOID

from kyso.pki.issuance import SubjectInfo, issue_for_public_key


@dataclass
class HolderSubject(SubjectInfo):
    """A subject with the holder's identifier: `uid="MST:0101234567"` or `uid="CCCD:001090001234"`."""

    uid: str = ""

    def to_name(self) -> x509.Name:
        name = super().to_name()
        if not self.uid:
            return name
        return x509.Name([*name, x509.NameAttribute(NameOID.USER_ID, self.uid)])


def issue_to_holder(public_key, *, ca, name: str, uid: str, key_location: str, person: bool = False):
    """A one-year certificate from the (simulated) public CA `ca` for an organisation or a person."""
    subject = HolderSubject(common_name=name, organizational_unit="" if person else name, locality="Hà Nội",
                            organization="" if person else name[:64], uid=uid)
    return issue_for_public_key(public_key, "organization", subject, 365, ca=ca, key_location=key_location)
