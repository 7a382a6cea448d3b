"""Validation material for long-term signatures: every certificate up to a root and revocation data for
every certificate that needs it — the signer's, each intermediate's, each time-stamping authority's.

One gathering for PAdES (DSS), XAdES (CertificateValues / RevocationValues) and CAdES (SignedData
certificates and crls), so a document made at B-LT or above verifies on a machine that holds only the root
and has no network (ETSI EN 319 102-1 § 5.6; EN 319 142-1 / 132-1 / 122-1 B-LT). Our own CAs answer
in-process (`kyso.pki.revinfo`); other CAs are asked over the network only when `KYSO_VERIFY_FETCH` is on."""

from __future__ import annotations

import logging
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass, field

from asn1crypto import cms
from asn1crypto import crl as asn1_crl
from asn1crypto import ocsp as asn1_ocsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509 import ocsp as x509_ocsp
from cryptography.x509.oid import AuthorityInformationAccessOID, ExtensionOID
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kyso.core.errors import InvalidState
from kyso.pki import revinfo

from .keys import load_certificates
from .trust import trust_dir

log = logging.getLogger("kyso.signing")
DER = serialization.Encoding.DER
FETCH_TIMEOUT = 10
FETCH_MAX_BYTES = 20 * 1024 * 1024
MAX_CHAIN = 8


@dataclass
class Material:
    """Certificates (leaf first, each once) and revocation data (DER), ready to embed."""

    certs: list[x509.Certificate] = field(default_factory=list)
    ocsps: list[bytes] = field(default_factory=list)
    crls: list[bytes] = field(default_factory=list)

    def add_cert(self, cert: x509.Certificate) -> None:
        if cert not in self.certs:
            self.certs.append(cert)

    def merge(self, other: Material) -> None:
        for cert in other.certs:
            self.add_cert(cert)
        self.ocsps += [o for o in other.ocsps if o not in self.ocsps]
        self.crls += [c for c in other.crls if c not in self.crls]

    def asn1_certs(self) -> list[asn1_x509.Certificate]:
        return [asn1_x509.Certificate.load(c.public_bytes(DER)) for c in self.certs]

    def asn1_ocsps(self) -> list[asn1_ocsp.OCSPResponse]:
        return [asn1_ocsp.OCSPResponse.load(o) for o in self.ocsps]

    def asn1_crls(self) -> list[asn1_crl.CertificateList]:
        return [asn1_crl.CertificateList.load(c) for c in self.crls]


def _fetching() -> bool:
    return bool(getattr(settings, "KYSO_VERIFY_FETCH", False))


def _known_certificates(extra: Iterable[x509.Certificate]) -> list[x509.Certificate]:
    known = list(extra) + revinfo.own_ca_certificates()
    folder = trust_dir()
    if folder.is_dir():
        for path in sorted(folder.glob("*")):
            if path.suffix.lower() in (".pem", ".crt", ".cer", ".der"):
                try:
                    known += load_certificates(path.read_bytes())
                except ValueError:
                    log.warning("unreadable certificate file %s in the trust folder", path)
    return known


def _signed_by(cert: x509.Certificate, issuer: x509.Certificate) -> bool:
    if cert.issuer != issuer.subject:
        return False
    try:
        cert.verify_directly_issued_by(issuer)
        return True
    except (ValueError, TypeError, Exception):  # noqa: BLE001 - any failure means "not this issuer"
        return False


def _is_root(cert: x509.Certificate) -> bool:
    return cert.issuer == cert.subject and _signed_by(cert, cert)


def _no_check(cert: x509.Certificate) -> bool:
    """An OCSP responder certificate with id-pkix-ocsp-nocheck needs no revocation data (RFC 6960 § 4.2.2.2.1)."""
    try:
        cert.extensions.get_extension_for_class(x509.OCSPNoCheck)
        return True
    except x509.ExtensionNotFound:
        return False


def _uris(cert: x509.Certificate, what: str) -> list[str]:
    try:
        if what == "crl":
            ext = cert.extensions.get_extension_for_oid(ExtensionOID.CRL_DISTRIBUTION_POINTS).value
            return [n.value for dp in ext for n in (dp.full_name or []) if isinstance(n, x509.UniformResourceIdentifier)]
        ext = cert.extensions.get_extension_for_oid(ExtensionOID.AUTHORITY_INFORMATION_ACCESS).value
        oid = AuthorityInformationAccessOID.OCSP if what == "ocsp" else AuthorityInformationAccessOID.CA_ISSUERS
        return [d.access_location.value for d in ext if d.access_method == oid]
    except x509.ExtensionNotFound:
        return []


def _fetch(url: str, body: bytes | None = None, content_type: str = "") -> bytes | None:
    if not url.lower().startswith(("http://", "https://")):
        return None
    req = urllib.request.Request(url, data=body, headers={"Content-Type": content_type} if content_type else {})
    try:
        with urllib.request.urlopen(req, timeout=FETCH_TIMEOUT) as resp:  # noqa: S310 - http(s) only, checked above
            data = resp.read(FETCH_MAX_BYTES + 1)
        return data if len(data) <= FETCH_MAX_BYTES else None
    except OSError as exc:
        log.warning("fetching %s failed: %s", url, exc)
        return None


def _find_issuer(cert: x509.Certificate, known: list[x509.Certificate]) -> x509.Certificate | None:
    for candidate in known:
        if _signed_by(cert, candidate):
            return candidate
    if _fetching():
        for url in _uris(cert, "ca_issuers"):
            data = _fetch(url)
            try:
                for candidate in load_certificates(data) if data else []:
                    if _signed_by(cert, candidate):
                        return candidate
            except ValueError:
                continue
    return None


def chain_of(cert: x509.Certificate, known: list[x509.Certificate]) -> list[x509.Certificate]:
    """`cert`, its issuer, …, up to a self-signed root."""
    path = [cert]
    while not _is_root(path[-1]):
        issuer = _find_issuer(path[-1], known)
        if issuer is None or issuer in path or len(path) > MAX_CHAIN:
            raise InvalidState("signing.material.no_chain",
                               _("No certificate chain to a root could be built for %(subject)s."),
                               subject=path[-1].subject.rfc4514_string()[:200])
        path.append(issuer)
    return path


def _ocsp_good(der: bytes, cert: x509.Certificate) -> bool | None:
    """True when the response says good, False revoked, None unusable."""
    try:
        resp = x509_ocsp.load_der_ocsp_response(der)
        if resp.response_status != x509_ocsp.OCSPResponseStatus.SUCCESSFUL or resp.serial_number != cert.serial_number:
            return None
        if resp.certificate_status == x509_ocsp.OCSPCertStatus.REVOKED:
            return False
        return True if resp.certificate_status == x509_ocsp.OCSPCertStatus.GOOD else None
    except ValueError:
        return None


def _crl_good(der: bytes, cert: x509.Certificate, issuer: x509.Certificate) -> bool | None:
    try:
        lst = x509.load_der_x509_crl(der)
    except ValueError:
        try:
            lst = x509.load_pem_x509_crl(der)
        except ValueError:
            return None
    if lst.issuer != issuer.subject or not lst.is_signature_valid(issuer.public_key()):
        return None
    return lst.get_revoked_certificate_by_serial_number(cert.serial_number) is None


def _revocation(cert: x509.Certificate, issuer: x509.Certificate, into: Material, refuse: bool) -> None:
    """Put one piece of revocation data about `cert` into `into`; with `refuse`, refuse a revoked certificate.
    Renewing an archive (no `refuse`), our own CA answers itself: its delegated responder's certificate is renewed
    every year, so the one answering now may not have existed when the signature was made and cannot vouch at
    that time; the CA's own certificate can — an intermediate CA by OCSP, our root by its CRL (pyHanko's
    past validation cannot place an OCSP response signed by a trust anchor itself). Other CAs as when signing."""
    ocsp_wanted = refuse or not _is_root(issuer) or revinfo.own_ca_named(issuer.subject, issuer.public_key()) is None
    der = revinfo.fresh_ocsp(cert, issuer, by_ca=not refuse) if ocsp_wanted else None
    if der is None and _fetching() and ocsp_wanted:
        req = x509_ocsp.OCSPRequestBuilder().add_certificate(cert, issuer, hashes.SHA1()).build().public_bytes(DER)
        for url in _uris(cert, "ocsp"):
            der = _fetch(url, req, "application/ocsp-request")
            if der is not None and _ocsp_good(der, cert) is not None:
                break
            der = None
    if der is not None and (status := _ocsp_good(der, cert)) is not None:
        _refuse_revoked(status or not refuse, cert)
        into.ocsps.append(der)
        for responder_cert in x509_ocsp.load_der_ocsp_response(der).certificates:
            into.add_cert(responder_cert)
        return
    crl = revinfo.current_crl(issuer)
    if crl is None and _fetching():
        crl = next((d for d in map(_fetch, _uris(cert, "crl")) if d and _crl_good(d, cert, issuer) is not None), None)
    if crl is not None and (status := _crl_good(crl, cert, issuer)) is not None:
        _refuse_revoked(status or not refuse, cert)
        if crl.lstrip()[:1] != b"\x30":
            crl = x509.load_pem_x509_crl(crl).public_bytes(DER)
        into.crls.append(crl)
        return
    raise InvalidState("signing.material.no_revocation",
                       _("No revocation data (OCSP or CRL) could be obtained for %(subject)s; the signature cannot be "
                         "made verifiable for the long term. For a certificate of another CA, turn on fetching "
                         "(KYSO_VERIFY_FETCH)."), subject=cert.subject.rfc4514_string()[:200])


def _refuse_revoked(good: bool, cert: x509.Certificate) -> None:
    if not good:
        raise InvalidState("signing.material.revoked", _("The certificate %(subject)s is revoked."),
                           subject=cert.subject.rfc4514_string()[:200])


def _expired(cert: x509.Certificate) -> bool:
    return cert.not_valid_after_utc < timezone.now()


def gather(certs: Iterable[x509.Certificate], *, known: Iterable[x509.Certificate] = (),
           refuse_revoked: bool = True) -> Material:
    """Everything a verifier needs offline for the given end certificates (signer, TSAs); a revoked one is
    refused unless `refuse_revoked` is off (renewing an archive keeps the proof that it was revoked later).
    A certificate that has already expired gets no revocation data: data issued after its expiry proves nothing
    about it (a CA may drop it from its CRLs) and would only hide the data gathered while it was valid, which
    a past-signature validation (EN 319 102-1 § 5.6.2.4) needs — the renewal job gathers that in time."""
    known_list = _known_certificates(known)
    out = Material()
    done: set[bytes] = set()
    pending = list(certs)
    while pending:
        cert = pending.pop(0)
        path = chain_of(cert, known_list)
        for here, issuer in zip(path, path[1:]):
            out.add_cert(here)
            fp = here.fingerprint(hashes.SHA256())
            if fp in done:
                continue
            done.add(fp)
            if not _no_check(here) and not _expired(here):
                before = len(out.certs)
                _revocation(here, issuer, out, refuse_revoked)
                # responder certificates that came with an OCSP response need their own chain (and revocation
                # data unless they carry ocsp-nocheck)
                pending += [c for c in out.certs[before:] if c.fingerprint(hashes.SHA256()) not in done]
        out.add_cert(path[-1])
    return out


# --- what is inside a CMS signature: its signer, its certificates, the TSAs of its time-stamps


def _crypto(cert: asn1_x509.Certificate) -> x509.Certificate:
    return x509.load_der_x509_certificate(cert.dump())


def cms_certificates(signed_data: cms.SignedData) -> list[x509.Certificate]:
    return [_crypto(c.chosen) for c in signed_data["certificates"] or [] if c.name == "certificate"]


def cms_certificate(signed_data: cms.SignedData, sid: cms.SignerIdentifier) -> asn1_x509.Certificate | None:
    """The certificate among the SignedData's that a signer identifier names, by issuer and serial or by key
    identifier, or None."""
    for choice in signed_data["certificates"] or []:
        if choice.name != "certificate":
            continue
        cert = choice.chosen
        if sid.name == "issuer_and_serial_number":
            if cert.issuer == sid.chosen["issuer"] and cert.serial_number == sid.chosen["serial_number"].native:
                return cert
        elif cert.key_identifier == sid.chosen.native:
            return cert
    return None


def cms_signer(signed_data: cms.SignedData, signer_info: cms.SignerInfo | None = None) -> x509.Certificate:
    """The certificate of the (first) SignerInfo, found by issuer and serial or by key identifier."""
    info = signer_info or signed_data["signer_infos"][0]
    cert = cms_certificate(signed_data, info["sid"])
    if cert is None:
        raise InvalidState("signing.material.no_signer", _("The signature does not carry its signer's certificate."))
    return _crypto(cert)


def timestamp_tokens(signer_info: cms.SignerInfo) -> list[cms.ContentInfo]:
    """Time-stamp tokens in a SignerInfo's unsigned attributes (signature and archive time-stamps)."""
    out = []
    for attr in signer_info["unsigned_attrs"] or []:
        if attr["type"].dotted in (SIGNATURE_TIME_STAMP, ARCHIVE_TIME_STAMP_V3):
            # asn1crypto knows the signature time-stamp; an archive-time-stamp-v3 comes as an opaque value
            out += [v if isinstance(v, cms.ContentInfo) else cms.ContentInfo.load(v.dump()) for v in attr["values"]]
    return out


def token_signer(token: cms.ContentInfo) -> x509.Certificate:
    return cms_signer(token["content"])


SIGNATURE_TIME_STAMP = "1.2.840.113549.1.9.16.2.14"
ARCHIVE_TIME_STAMP_V3 = "0.4.0.1733.2.4"
