"""Create what Kyso's PKI needs and is missing — root, issuing CA, OCSP responders, time-stamping unit.

Idempotent: run by `kyso ca init`, the demo and the tests. Above both `ca` (the authorities) and `issuance`
(certificates for subjects), since a responder is a certificate the CA issues.
"""

from __future__ import annotations

import datetime as dt
import os

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa
from django.db import transaction
from django.utils import timezone

from . import keystore
from .ca import DEV_MARK, ISSUING, KEYSTORE, RESPONDER_DAYS, ROOT, SUBJECTS, create_ca
from .issuance import SubjectInfo, issue_for_public_key
from .models import CertificateAuthority, CertStatus, IssuedCertificate


# A time-stamp must stay strong as long as its certificate: the archive renewal job renews a record before its
# last time-stamp weakens, with a time-stamp that lasts longer. The algorithm policy (signing/algorithms.py,
# ETSI TS 119 312) ends RSA-2048 on 31/12/2030, before a five-year certificate issued today expires; RSA-3072 has
# no end date. A time-stamping unit with a smaller RSA key is replaced by the next `kyso ca init`.
TSA_SPEC = "rsa3072"


def _strong_enough(cert: x509.Certificate, spec: str) -> bool:
    key = cert.public_key()
    if not spec.startswith("rsa") or not isinstance(key, rsa.RSAPublicKey):
        return True
    return key.key_size >= int(spec[3:])


def _ensure_responder(ca: CertificateAuthority, profile: str, spec: str) -> IssuedCertificate:
    soon = timezone.now() + dt.timedelta(days=30)
    current = (IssuedCertificate.objects.filter(ca=ca, profile=profile, status=CertStatus.GOOD, not_after__gt=soon)
               .order_by("-not_before", "-created_at").first())      # the one in use (`ca.responder`)
    if current is not None and _strong_enough(current.certificate, spec):
        return current
    label = f"{profile}-{ca.name}-{timezone.now():%Y%m%d}-{os.urandom(3).hex()}"
    key = keystore.store_for(label).generate(label, spec)
    what = "OCSP" if profile == "ocsp" else "TSA"
    subject = SubjectInfo(common_name=f"Kyso DEV {what} ({ca.name}) - không dùng thật",
                          organization="Ban Cơ yếu Chính phủ (mô phỏng)", organizational_unit=DEV_MARK)
    return issue_for_public_key(key.public_key(), profile, subject, RESPONDER_DAYS[profile], ca=ca,
                                key_location=f"{KEYSTORE}:{label}")


@transaction.atomic
def ensure_ca(*, root_spec: str = "rsa3072", issuing_spec: str = "rsa2048", responder_spec: str = "rsa2048",
              tsa_spec: str = TSA_SPEC) -> CertificateAuthority:
    """Create the root, the issuing CA and their responders if missing; return the issuing CA."""
    root = CertificateAuthority.objects.select_for_update().filter(name=ROOT).first()
    if root is None:
        root = create_ca(ROOT, SUBJECTS[ROOT], key_spec=root_spec)
    issuing = CertificateAuthority.objects.filter(name=ISSUING).first()
    if issuing is None:
        issuing = create_ca(ISSUING, SUBJECTS[ISSUING], parent=root, key_spec=issuing_spec)
    _ensure_responder(root, "ocsp", responder_spec)
    _ensure_responder(issuing, "ocsp", responder_spec)
    _ensure_responder(issuing, "tsa", tsa_spec)
    return issuing
