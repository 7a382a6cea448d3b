"""The steps with the CA (Art. 4.2.4): the approved list goes through the RA intake agency to the CA (ours
issues at once onto a SoftHSM token standing in for the key device); an external CA's certificates come
back and are matched to the requests; a refusal or a request for a supplement is told to the unit in
writing within 2 working days, and the unit completes within 5."""

from __future__ import annotations

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from django.utils.translation import gettext_lazy as _

from kyso.core import steps
from kyso.core.errors import InvalidInput, InvalidState
from kyso.pki.models import IssuedCertificate
from kyso.workdays.calendar import today

from . import archive, deadlines, exchange
from .flows import LIST, REQUEST, refused
from .models import Certificate, IssuanceRequest, KeyDevice, RequestList, RequestState as R, Source
from .permissions import LC_REVIEW
from .requests import FORM01_FIELDS, check_identity
from .units import it_center

IMPORT = steps.step("lifecycle.ca.import", perm=LC_REVIEW, label=_("Record the certificates issued by the CA"))


def send_to_ca(user, lst: RequestList, ca: exchange.CaExchange | None = None) -> list[exchange.Issued]:
    """Through the RA intake agency to the CA; the embedded CA issues at once onto a SoftHSM token."""
    ca = ca or exchange.for_name(None)
    issued: list[exchange.Issued] = []

    def body(attempt):
        lst.sent_on = today()
        reqs = list(lst.approval_requests.all())
        for req in reqs:
            REQUEST.perform("send", req, actor=user)
        issued.extend(ca.submit(reqs))
        for item in issued:
            req = next(r for r in reqs if r.pk == item.request_id)
            record_issued(user, req, item.certificate, token_label=item.token_label, source=Source.EMBEDDED)

    LIST.perform("send_to_ca", lst, actor=user, body=body)
    return issued


def record_issued(user, req: IssuanceRequest, cert: x509.Certificate, *, token_label: str = "",
                  source: str = Source.EMBEDDED) -> Certificate:
    """The CA issued: record the certificate and its device; the handover to the unit is due in 2 working days."""
    def body(attempt):
        device = None
        if token_label:
            device = KeyDevice.objects.create(serial=token_label.upper(), unit=it_center(), token_label=token_label)
        serial = format(cert.serial_number, "x")
        ours = IssuedCertificate.objects.filter(serial=serial).first() if source == Source.EMBEDDED else None
        lc = Certificate.objects.create(
            issued=ours, serial=serial, issuer=cert.issuer.rfc4514_string()[:300],
            subject=cert.subject.rfc4514_string()[:500], not_before=cert.not_valid_before_utc,
            not_after=cert.not_valid_after_utc, kind=req.kind, subscriber=req.subscriber, device=device,
            source=source, der=cert.public_bytes(serialization.Encoding.DER), request=req)
        deadlines.open_step("request", req.pk, "handover_unit", it_center())
        return lc

    return REQUEST.perform("issued", req, actor=user, body=body)


PROFILE_OF = {"person": exchange.PERSON_PROFILE, "organization": exchange.ORG_PROFILE}


def bind_request(request, profile: str, actor):
    """pki's hook (`kyso.pki.issuance.plug_approved_requests`): the IT Center issues a person's or an organisation's
    certificate from the CA's own API or command line only for a request approved and sent to the CA, of that kind,
    with the subject it names and, when the subscriber's device made the key, that key (its CSR's); the issuance is
    recorded on the request at once (so one request, one certificate)."""
    req = None
    if str(request).isdigit():
        req = IssuanceRequest.objects.select_related("unit__parent", "subscriber").filter(
            pk=int(request), state=R.SENT_TO_CA).first()
    if req is None or PROFILE_OF.get(req.kind) != profile:
        return None
    return (exchange.subject_for(req), lambda issued: record_issued(actor, req, issued.certificate),
            exchange.requested_key(req))


def _match(cert: x509.Certificate) -> IssuanceRequest:
    """The request sent to the CA that this certificate answers: by the CSR's public key, the e-mail, or
    (organisations) the name."""
    sent = IssuanceRequest.objects.filter(state=R.SENT_TO_CA)
    req = exchange.match_by_public_key(cert, sent.exclude(csr_pem=""))
    email = exchange.email_of(cert)
    if req is None and email:
        req = sent.filter(email__iexact=email).first()
    if req is None:
        cn = cert.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
        req = sent.filter(kind="organization", full_name=cn[0].value if cn else "").first()
    if req is None:
        raise InvalidInput("lifecycle.import.unmatched", _("Certificate %(subject)s matches no request sent to the CA."),
                           subject=cert.subject.rfc4514_string())
    return req


def import_issued(user, data: bytes) -> list[Certificate]:
    """External CA: the issued certificates come back (PEM, DER, PKCS#7) and are matched to the requests."""
    def body(attempt):
        return [record_issued(user, _match(cert), cert, source=Source.IMPORTED) for cert in exchange.load_issued(data)]

    return steps.run(IMPORT, body, actor=user)


def ca_outcome(user, req: IssuanceRequest, outcome: str, reason: str = "") -> IssuanceRequest:
    """The CA refused or asked for a supplement: the unit is told in writing within 2 working days."""
    def body(attempt):
        if outcome not in ("refused", "supplement"):
            raise InvalidInput("lifecycle.ca.outcome", _("The outcome is refused or supplement."))
        if not (reason or "").strip():
            raise InvalidInput("lifecycle.ca.reason", _("State the CA's reason."),
                               fields={"reason": ("required", _("This field is required."))})
        req.state = R.REFUSED if outcome == "refused" else R.SUPPLEMENT
        req.guidance = reason.strip()
        req.save()
        deadlines.open_step("request", req.pk, "refusal_notice" if outcome == "refused" else "supplement_notice",
                            it_center())

    return REQUEST.perform("ca_outcome", req, actor=user, body=body)


def notify_unit_of_outcome(user, req: IssuanceRequest) -> IssuanceRequest:
    """The written notice to the managing unit (archived); after a supplement request the unit's 5 working
    days start."""
    if req.state not in (R.REFUSED, R.SUPPLEMENT):
        raise refused(InvalidState("lifecycle.request.out_of_order", _("There is no CA outcome to notify.")))
    name = "refusal_notice" if req.state == R.REFUSED else "supplement_notice"
    if not deadlines.is_open("request", req.pk, name):
        raise refused(InvalidState("lifecycle.request.already_notified", _("The unit has already been notified.")))

    def body(attempt):
        deadlines.close_steps("request", req.pk, name)
        archive.tell_unit_and_subscriber(req.subscriber.managing_unit, req.subscriber, req.guidance)
        until = None
        if req.state == R.SUPPLEMENT:
            until = deadlines.open_step("request", req.pk, "supplement_complete", req.subscriber.managing_unit).due_on
        archive.outcome_notice(req, until)

    return REQUEST.perform("notify_outcome", req, actor=user, body=body)


def supplement_done(user, req: IssuanceRequest, data: dict | None = None) -> IssuanceRequest:
    """The unit completed what the CA asked for: the request is with the CA again."""
    changes = {k: v for k, v in (data or {}).items() if k in FORM01_FIELDS and getattr(req, k) != v}

    def body(attempt):
        check_identity(user, req.kind, req.subscriber.person, req.subscriber.managing_unit, changes)
        for key, value in changes.items():
            setattr(req, key, value)
        deadlines.close_steps("request", req.pk, "supplement_complete")

    return REQUEST.perform("supplement_done", req, actor=user, body=body)
