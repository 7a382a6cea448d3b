"""Archive renewal (ETSI EN 319 142-1 / 132-1 § LTA; EN 319 102-1 § 5.6.2.3): an archived signed record keeps its
proof only while its last time-stamp is strong — until the time-stamping authority's certificate expires and
while the algorithms used (digest, key) are not past the end dates of the algorithm policy. A periodic job finds
the records whose last time-stamp loses its strength within a margin — or whose signer's certificate expires
within it before the proof that it was not revoked has been gathered again and time-stamped — and extends them
(`longterm.extend`: fresh validation data, a new document / archive time-stamp; a detached CAdES signature with
the signed file found in the archive by its hash); the renewed document is archived as a new file, the old one stays,
and every renewal — or why it could not be done — is recorded (audited) for the page `signing:renewals`."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from asn1crypto import cms
from cryptography import x509
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from lxml import etree
from pyhanko.pdf_utils.reader import PdfFileReader

from kyso.core import steps
from kyso.core.errors import InvalidState, KysoError
from kyso.files.models import StoredFile
from kyso.files.storage import read, store
from kyso.pki.ca import get_ca, responder

from . import algorithms, cades, xades_lt
from .embedded import document_material
from .longterm import extend
from .material import cms_signer, timestamp_tokens
from .models import ArchiveRenewal
from .verify import detect

RENEW = steps.step("signing.archive.renew", label=_("Renew the long-term proof of an archived record"))
RENEWED_PURPOSE = "signing.renewed"
DEFAULT_PURPOSES = ("eoffice.signed", "eoffice.issued", "eoffice.attachment.issued", "eoffice.incoming",
                    "mobile.signed")
MEDIA = {"pdf": "application/pdf", "xml": "application/xml", "cms": "application/pkcs7-mime"}
OTHER_MEDIA = ("text/xml", "application/pkcs7-signature")


@dataclass
class Strength:
    last_time: dt.datetime | None    # when the last time-stamp was made (None: no time-stamp at all)
    weak_at: dt.datetime | None      # when it stops being strong
    why: str = ""                    # "tsa" (its certificate expires), an algorithm name, "signer" (no revocation
                                     # data yet) or "signer-proof" (to gather again before the signer's expiry)


@dataclass
class Outcome:
    renewed: list[ArchiveRenewal]
    failed: list[ArchiveRenewal]
    not_due: int


def margin() -> dt.timedelta:
    return dt.timedelta(days=int(getattr(settings, "KYSO_ARCHIVE_RENEWAL_MARGIN_DAYS", 180)))


def purposes() -> tuple[str, ...]:
    return (*getattr(settings, "KYSO_ARCHIVE_RENEWAL_PURPOSES", DEFAULT_PURPOSES), RENEWED_PURPOSE)


def strength_of_tsa(cert: x509.Certificate, digests: list[str]) -> Strength:
    """Until when a time-stamp of this TSA certificate with these digest algorithms stays strong: the certificate's
    expiry, and the end dates of the algorithm policy (`algorithms`: the one the verdicts judge by, with the dates
    the operator moved) for the digests and the key — no table of its own."""
    limits = [(cert.not_valid_after_utc, "tsa")]
    for name in digests:
        until = algorithms.digest_until(name)
        if until is not None:
            limits.append((until, algorithms.digest_name(name)))
    until = algorithms.key_until(cert.public_key())[1]
    if until is not None:
        limits.append((until, algorithms.key_name(cert.public_key())))
    weak_at, why = min(limits)
    return Strength(None, weak_at, why)


def _token_strength(signed_data: cms.SignedData) -> Strength:
    tst = signed_data["encap_content_info"]["content"].parsed
    digests = [tst["message_imprint"]["hash_algorithm"]["algorithm"].native,
               *[si["digest_algorithm"]["algorithm"].native for si in signed_data["signer_infos"]]]
    found = strength_of_tsa(cms_signer(signed_data), digests)
    found.last_time = tst["gen_time"].native
    return found


@dataclass
class Parts:
    signers: list[x509.Certificate]
    tokens: list[cms.SignedData]        # every time-stamp
    archive: list[cms.SignedData]       # the document / archive time-stamps (over the validation data)


def _pdf_parts(data: bytes) -> Parts:
    out = Parts([], [], [])
    for emb in PdfFileReader(io.BytesIO(data), strict=False).embedded_signatures:
        if emb.sig_object_type == "/DocTimeStamp":
            out.tokens.append(emb.signed_data)
            out.archive.append(emb.signed_data)
        else:
            out.signers.append(cms_signer(emb.signed_data))
            out.tokens += [t["content"] for t in timestamp_tokens(emb.signer_info)]
    return out


def _xml_parts(data: bytes) -> Parts:
    root = xades_lt.parse(data)
    sigs = list(root.iter(f"{{{xades_lt.DS}}}Signature"))
    return Parts([xades_lt.signer_of(s) for s in sigs], [t["content"] for s in sigs for t in xades_lt.tokens(s)],
                 [t["content"] for s in sigs for t in xades_lt.tokens(s, archive_only=True)])


def _cms_parts(data: bytes) -> Parts:
    signed_data = cades.load(data)["content"]
    return Parts([cms_signer(signed_data)],
                 [t["content"] for si in signed_data["signer_infos"] for t in timestamp_tokens(si)],
                 [t["content"] for t, _position in cades.archive_timestamps(signed_data)])


PARTS = {"pdf": _pdf_parts, "xml": _xml_parts, "cms": _cms_parts}


def _gen_time(signed_data: cms.SignedData) -> dt.datetime:
    return signed_data["encap_content_info"]["content"].parsed["gen_time"].native


def _tie_key(pair: tuple[int, cms.SignedData], archive: set[bytes]) -> tuple:
    position, token = pair
    found = _token_strength(token)
    return found.last_time, token.dump() in archive, found.weak_at, position


def strength(data: bytes) -> Strength | None:
    """The strength of the document's proof; None when the document carries no signature. It is the strength of
    its last time-stamp — and not past a signer certificate's expiry until the proof that the certificate was
    not revoked has been gathered within the margin before that day and time-stamped (EN 319 102-1 § 5.6.2.4:
    a past-signature validation needs revocation data issued while the certificate was valid, with a proof of
    existence — a later document or archive time-stamp; after that day the proof can no longer be gathered,
    CRLs drop expired certificates). Below B-LT the record carries no such data at all."""
    fmt = detect(data)
    parts = PARTS[fmt](data) if fmt in PARTS else Parts([], [], [])
    if not parts.signers:
        return None
    if parts.tokens:
        # the last one made; within the same second (gen_time has no fraction here) an archive time-stamp before a
        # signature time-stamp (it covers it), then the stronger (a renewal only adds a stronger one; a CAdES
        # signer's unsigned attributes are a DER SET, sorted by their bytes, so their order says nothing), then
        # the later in the document
        archive = {token.dump() for token in parts.archive}
        found = max(enumerate(parts.tokens), key=lambda pair: _tie_key(pair, archive))[1]
        found = _token_strength(found)
    else:
        found = Strength(None, None, "none")
    if found.weak_at is None:
        return found
    material = document_material(data, fmt)
    has_proof = bool(material.crls or material.ocsps)
    archived_at = max(map(_gen_time, parts.archive), default=None)
    for cert in parts.signers:
        expiry = cert.not_valid_after_utc
        if has_proof and archived_at is not None and archived_at >= expiry - margin():
            continue        # gathered and time-stamped within the margin before the expiry (or after it: too late)
        if expiry < found.weak_at:
            found.weak_at, found.why = expiry, "signer-proof" if has_proof else "signer"
    return found


def signed_content(data: bytes) -> bytes | None:
    """The file a detached CAdES signature (.p7s) signed, found in the archive by its SHA-256 (the archive names
    every file by it): an archive-time-stamp-v3 covers the signed content's hash. None when it is not there."""
    signed_data = cades.load(data)["content"]
    if signed_data["encap_content_info"]["content"].native is not None:
        return None     # not detached: the content is inside
    info = signed_data["signer_infos"][0]
    digests = [a["values"][0].native for a in info["signed_attrs"] if a["type"].native == "message_digest"]
    if info["digest_algorithm"]["algorithm"].native != "sha256" or len(digests) != 1:
        return None
    found = StoredFile.objects.filter(sha256=digests[0].hex()).order_by("pk").first()
    return read(found) if found is not None else None


def candidates():
    """Archived signed records in their latest version (not yet superseded by a renewal)."""
    superseded = ArchiveRenewal.objects.filter(outcome=ArchiveRenewal.Outcome.RENEWED).values("source_id")
    return (StoredFile.objects.filter(purpose__in=purposes(), media_type__in=[*MEDIA.values(), *OTHER_MEDIA])
            .exclude(pk__in=superseded).order_by("pk"))


def _renew_one(source: StoredFile, found: Strength, now: dt.datetime) -> ArchiveRenewal:
    def body(attempt):
        current = responder(get_ca(), "tsa")[0].certificate
        new = strength_of_tsa(current, ["sha256"])
        if new.weak_at - margin() <= now:
            raise InvalidState("signing.renewal.tsa_weak",
                               _("A new time-stamp would not last longer: the time-stamping authority's certificate "
                                 "(or its algorithm) is strong only until %(date)s, within the renewal margin. Renew "
                                 "the time-stamping authority's certificate first."),
                               date=timezone.localtime(new.weak_at).strftime("%d/%m/%Y"))
        try:
            data = read(source)
            data = extend(data, signed_content(data) if detect(data) == "cms" else None)
        except KysoError:
            raise
        except Exception as exc:  # noqa: BLE001 - a document the libraries cannot handle is a failure to report
            raise InvalidState("signing.renewal.unreadable", _("The document could not be extended: its file cannot be read."),
                               detail=str(exc)[:200]) from exc
        renewed = store(data, name=source.name, media_type=source.media_type, purpose=RENEWED_PURPOSE,
                        unit_path=source.unit_path)
        return ArchiveRenewal.objects.create(source=source, renewed=renewed, outcome=ArchiveRenewal.Outcome.RENEWED,
                                             reason=_reason(found), weak_at=found.weak_at, unit_path=source.unit_path)
    return steps.run(RENEW, body, actor=None, obj=source)


def _reason(found: Strength) -> str:
    if found.weak_at is None:
        return str(_("The record had no time-stamp."))
    date = timezone.localtime(found.weak_at).strftime("%d/%m/%Y")
    if found.why == "signer":
        return str(_("The signer's certificate expires on %(date)s and the record does not yet carry the proof "
                     "that it was not revoked.") % {"date": date})
    if found.why == "signer-proof":
        return str(_("The signer's certificate expires on %(date)s: the proof that it was not revoked is gathered "
                     "again before then and time-stamped.") % {"date": date})
    if found.why == "tsa":
        return str(_("The certificate of the authority of its last time-stamp expires on %(date)s.") % {"date": date})
    return str(_("The algorithm %(algorithm)s of its last time-stamp is strong only until %(date)s.")
               % {"algorithm": found.why.upper(), "date": date})


def _record_failure(source: StoredFile, found: Strength, exc: KysoError) -> ArchiveRenewal | None:
    last = ArchiveRenewal.objects.filter(source=source).first()
    if last is not None and last.outcome == ArchiveRenewal.Outcome.FAILED and last.code == exc.code:
        return None     # already listed as not renewable for the same reason
    return steps.run(steps.step("signing.archive.renew_failed"), lambda attempt: ArchiveRenewal.objects.create(
        source=source, outcome=ArchiveRenewal.Outcome.FAILED, code=exc.code[:80], reason=str(exc.message),
        weak_at=found.weak_at, unit_path=source.unit_path), actor=None, obj=source)


def renew_due(*, now: dt.datetime | None = None) -> Outcome:
    """The periodic job: renew every archived signed record whose last time-stamp loses its strength within the
    margin (KYSO_ARCHIVE_RENEWAL_MARGIN_DAYS, 180 by default)."""
    now = now or timezone.now()
    out = Outcome([], [], 0)
    for source in candidates().iterator():
        try:
            found = strength(read(source))
        except (KysoError, ValueError, etree.LxmlError):
            found = None
        except Exception:  # noqa: BLE001 - a damaged archived file is not a signed record we can judge
            found = None
        if found is None:
            continue
        if found.weak_at is not None and found.weak_at - margin() > now:
            out.not_due += 1
            continue
        try:
            out.renewed.append(_renew_one(source, found, now))
        except KysoError as exc:
            failure = _record_failure(source, found, exc)
            if failure is not None:
                out.failed.append(failure)
    return out


def run_job() -> str:
    """For the job list: what the run did, in words."""
    out = renew_due()
    return str(_("%(renewed)s renewed, %(failed)s could not be renewed, %(fine)s still strong.") % {
        "renewed": len(out.renewed), "failed": len(out.failed), "fine": out.not_due})
