"""Archive renewal (ETSI EN 319 142-1 / 132-1 § LTA; EN 319 102-1 § 5.6.2.3): an archived signed record keeps its
proof only while its last time-stamp is strong — until the time-stamping authority's certificate expires and
while the algorithms used (digest, key) are not past the end dates of the algorithm policy. A periodic job finds
the records whose last time-stamp loses its strength within a margin and extends them (`longterm.extend`: fresh
validation data, a new archive time-stamp); the renewed document is archived as a new file, the old one stays,
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
    why: str = ""                    # "tsa" (its certificate expires) or an algorithm name


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


def _pdf_parts(data: bytes) -> tuple[list[x509.Certificate], list[cms.SignedData]]:
    signers, tokens = [], []
    for emb in PdfFileReader(io.BytesIO(data), strict=False).embedded_signatures:
        if emb.sig_object_type == "/DocTimeStamp":
            tokens.append(emb.signed_data)
        else:
            signers.append(cms_signer(emb.signed_data))
            tokens += [t["content"] for t in timestamp_tokens(emb.signer_info)]
    return signers, tokens


def _xml_parts(data: bytes) -> tuple[list[x509.Certificate], list[cms.SignedData]]:
    root = xades_lt.parse(data)
    sigs = list(root.iter(f"{{{xades_lt.DS}}}Signature"))
    return [xades_lt.signer_of(s) for s in sigs], [t["content"] for s in sigs for t in xades_lt.tokens(s)]


def _cms_parts(data: bytes) -> tuple[list[x509.Certificate], list[cms.SignedData]]:
    signed_data = cades.load(data)["content"]
    return ([cms_signer(signed_data)],
            [t["content"] for si in signed_data["signer_infos"] for t in timestamp_tokens(si)])


PARTS = {"pdf": _pdf_parts, "xml": _xml_parts, "cms": _cms_parts}


def strength(data: bytes) -> Strength | None:
    """The strength of the document's proof; None when the document carries no signature. It is the strength of
    its last time-stamp — and, while the document carries no revocation data yet (below B-LT), not past the
    first signer certificate's expiry: after that day the proof that it was not revoked when it signed can no
    longer be gathered (CRLs drop expired certificates), so the validation data must be added before."""
    fmt = detect(data)
    signers, tokens = PARTS[fmt](data) if fmt in PARTS else ([], [])
    if not signers:
        return None
    if tokens:
        # the last one made; same second (gen_time has no fraction here): the later in the document
        found = max(enumerate(map(_token_strength, tokens)), key=lambda pair: (pair[1].last_time, pair[0]))[1]
    else:
        found = Strength(None, None, "none")
    material = document_material(data, fmt)
    if found.weak_at is not None and not (material.crls or material.ocsps):
        expiry = min(cert.not_valid_after_utc for cert in signers)
        if expiry < found.weak_at:
            found.weak_at, found.why = expiry, "signer"
    return found


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
            data = extend(read(source))
        except KysoError:
            raise
        except Exception as exc:  # noqa: BLE001 - a document the libraries cannot handle is a failure to report
            raise InvalidState("signing.renewal.unreadable", _("The document could not be extended: %(detail)s"),
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
