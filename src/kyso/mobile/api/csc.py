"""The Cloud Signature Consortium API: v2 under /csc/v2/ and v1.0.4.0 under /csc/v1/ (the shape
pyHanko's CSCSigner and Vietnamese remote-signing clients speak). Errors follow the CSC form
`{"error", "error_description"}` and add Kyso's stable `error_code`. Bodies and answers are the serializers of
`csc_serializers`, which the OpenAPI document names."""

from __future__ import annotations

import base64

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.db import transaction
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import extend_schema
from rest_framework import authentication, exceptions
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from kyso.accounts.authentication import ApiTokenAuthentication
from kyso.core.errors import Forbidden, InvalidInput, InvalidState, KysoError, NotFound
from kyso.files.storage import read

from .. import keys, scal2, services
from ..models import RequestState
from . import csc_serializers as cs

KEEP_ON_ERROR = {"mobile.auth.invalid"}   # a failed log-in counts toward the account lock-out


class CscBearerAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer <token from auth/login>`, or a Kyso API token."""

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != b"bearer" or len(header) != 2:
            return None
        raw = header[1].decode("ascii", errors="replace")
        if raw.startswith("kyso_"):
            return ApiTokenAuthentication().authenticate(request)
        user = scal2.user_for_token(raw)
        if user is None:
            raise exceptions.AuthenticationFailed(_("Invalid or expired access token."))
        return user, raw

    def authenticate_header(self, request):
        return 'Bearer realm="csc"'


class CscBearerScheme(OpenApiAuthenticationExtension):
    """The document's word for it: the access token of `auth/login` (CSC), or a Kyso API token."""

    target_class = CscBearerAuthentication
    name = "cscBearer"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer",
                "description": "The access token of auth/login (CSC), or a Kyso API token."}


def answer(serializer, data: dict, status: int = 200) -> Response:
    """`data` through the serializer the schema names for it: the same keys, in the same order."""
    return Response(serializer(data).data, status=status)


def csc_error(status: int, error: str, description: str, code: str = "") -> Response:
    body = {"error": error, "error_description": description}
    if code:
        body["error_code"] = code
    return answer(cs.CscErrorSerializer, body, status)


def csc_schema(request, answers: dict, errors=(400, 401)):
    """The operation's body and answers as the OpenAPI document shows them; errors in the CSC form."""
    return extend_schema(request=request, responses={**answers, **{s: cs.CscErrorSerializer for s in errors}},
                         tags=["csc"])


class CscView(APIView):
    """Shared plumbing: JSON body, CSC error form, version from the URL."""

    authentication_classes = [CscBearerAuthentication]
    permission_classes = [IsAuthenticated]
    operation = ""

    def handle_exception(self, exc):
        if isinstance(exc, (exceptions.NotAuthenticated, exceptions.AuthenticationFailed)):
            resp = csc_error(401, "invalid_token", str(exc.detail), "mobile.auth.required")
            resp["WWW-Authenticate"] = 'Bearer realm="csc"'
            return resp
        if isinstance(exc, exceptions.ParseError):
            return csc_error(400, "invalid_request", _("The body is not valid JSON."), "mobile.request.json")
        if isinstance(exc, exceptions.UnsupportedMediaType):
            return csc_error(415, "invalid_request", _("The body must be JSON (Content-Type: application/json)."),
                             "mobile.request.media_type")
        if isinstance(exc, exceptions.MethodNotAllowed):
            resp = csc_error(405, "invalid_request", _("The CSC API is called with POST."), "mobile.request.method")
            resp["Allow"] = "POST"
            return resp
        if isinstance(exc, exceptions.APIException):      # whatever else DRF refuses: still the CSC form
            return csc_error(exc.status_code, "invalid_request", str(exc.detail), "mobile.request.invalid")
        if isinstance(exc, KysoError):
            # A failed step has rolled its own savepoint back and kept what must survive (a wrong PIN or code).
            if not (getattr(exc, "rolled_back", False) or exc.code in KEEP_ON_ERROR):
                transaction.set_rollback(True)
            if isinstance(exc, NotFound):
                return csc_error(400, "invalid_request", exc.message, exc.code)
            if isinstance(exc, Forbidden):
                kind = {"mobile.pin.wrong": "invalid_pin", "pki.pin.wrong": "invalid_pin",
                        "mobile.otp.wrong": "invalid_otp",
                        "mobile.auth.invalid": "authentication_error"}.get(exc.code, "access_denied")
                return csc_error(400 if kind != "authentication_error" else 401, kind, exc.message, exc.code)
            return csc_error(400, "invalid_request", exc.message, exc.code)
        return super().handle_exception(exc)

    def body(self, request) -> dict:
        data = request.data if isinstance(request.data, dict) else None
        if data is None:
            raise InvalidInput("mobile.request.json", _("The body must be a JSON object."))
        return data

    def credential(self, request, data):
        return services.credential_of(request.user, data.get("credentialID", ""))


def _cert_info(cred, which: str, with_info: bool) -> dict:
    issued = cred.certificate
    cert = issued.certificate
    out = {"status": "valid" if issued.status == "good" else ("revoked" if issued.status == "revoked" else "suspended")}
    if which in ("single", "chain"):
        der = [cert] + (services.SignatureRequest(credential=cred).chain_certificates() if which == "chain" else [])
        out["certificates"] = [base64.b64encode(c.public_bytes(serialization.Encoding.DER)).decode() for c in der]
    if with_info:
        out.update({"issuerDN": cert.issuer.rfc4514_string(), "serialNumber": format(cert.serial_number, "x"),
                    "subjectDN": cert.subject.rfc4514_string(),
                    "validFrom": cert.not_valid_before_utc.strftime("%Y%m%d%H%M%SZ"),
                    "validTo": cert.not_valid_after_utc.strftime("%Y%m%d%H%M%SZ")})
    return out


def _key_info(cred) -> dict:
    pub = cred.certificate.certificate.public_key()
    is_ec = isinstance(pub, ec.EllipticCurvePublicKey)
    algos = [oid for oid, (kt, _h) in keys.SIGN_ALGOS.items() if kt == ("ec" if is_ec else "rsa")]
    return {"status": "enabled" if cred.enabled else "disabled", "algo": algos, "len": pub.key_size,
            **({"curve": "1.2.840.10045.3.1.7"} if is_ec else {})}


def credential_info(cred, data: dict, version: int) -> dict:
    which = str(data.get("certificates", "single"))
    if which not in ("none", "single", "chain"):
        raise InvalidInput("mobile.request.certificates", _("certificates must be none, single or chain."))
    with_cert_info = bool(data.get("certInfo", False))
    info = {"description": cred.description or str(cred), "key": _key_info(cred),
            "cert": _cert_info(cred, which, with_cert_info), "multisign": cred.multisign, "SCAL": "2",
            "lang": "vi-VN"}
    if version == 1:
        info.update({"authMode": "explicit",
                     "PIN": {"presence": "true", "format": "N", "label": "PIN", "description": _("Your signing PIN")},
                     "OTP": {"presence": "true", "type": "online", "format": "N", "label": "OTP", "ID": "sms",
                             "provider": "Kyso", "description": _("One-time code sent by SMS")}})
    else:
        info["auth"] = {"mode": "explicit", "expression": "PIN AND OTP", "objects": [
            {"type": "Password", "id": "PIN", "format": "N", "label": "PIN", "description": _("Your signing PIN")},
            {"type": "Password", "id": "OTP", "format": "N", "generator": "sms", "label": "OTP",
             "description": _("One-time code sent by SMS")}]}
    return info


class InfoView(CscView):
    authentication_classes = []
    permission_classes = [AllowAny]

    @csc_schema(cs.CscInfoInput, {200: cs.CscInfoSerializer}, errors=())
    def post(self, request, version):
        v = 1 if version == "v1" else 2
        methods = ["auth/login", "auth/revoke", "credentials/list", "credentials/info", "credentials/authorize",
                   "credentials/sendOTP", "signatures/signHash"] + (
            ["signatures/signDoc", "signatures/signPolling"] if v == 2 else [])
        base = getattr(settings, "KYSO_BASE_URL", "") or request.build_absolute_uri("/").rstrip("/")
        return answer(cs.CscInfoSerializer, {
            "specs": "1.0.4.0" if v == 1 else "2.0.0.2", "name": "Kyso — BHXH Việt Nam",
            "logo": f"{base}/static/kyso/logo.svg", "region": "VN", "lang": "vi-VN",
            "description": _("Remote signing of Vietnam Social Security"), "authType": ["basic"], "methods": methods,
            **({"signAlgorithms": {"algos": list(keys.SIGN_ALGOS)}} if v == 2 else {})})

    get = post


class LoginView(CscView):
    authentication_classes = []
    permission_classes = [AllowAny]

    @csc_schema(cs.CscLoginInput, {200: cs.CscLoginSerializer})
    def post(self, request, version):
        header = authentication.get_authorization_header(request).split()
        if len(header) != 2 or header[0].lower() != b"basic":
            return csc_error(401, "invalid_request", _("HTTP Basic credentials are required."), "mobile.auth.basic")
        try:
            username, _sep, password = base64.b64decode(header[1]).decode("utf-8").partition(":")
        except (ValueError, UnicodeDecodeError):
            return csc_error(401, "invalid_request", _("Malformed Basic credentials."), "mobile.auth.basic")
        _user, token, ttl = scal2.login(username, password)
        return answer(cs.CscLoginSerializer, {"access_token": token, "expires_in": ttl})


class RevokeView(CscView):
    @csc_schema(cs.CscRevokeInput, {204: None})
    def post(self, request, version):
        data = self.body(request)
        scal2.revoke_token(str(data.get("token") or request.auth or ""))
        return Response(status=204)


class ListView(CscView):
    @csc_schema(cs.CscListInput, {200: cs.CscListSerializer})
    def post(self, request, version):
        data = self.body(request)
        creds = list(services.usable_credentials(request.user).order_by("created_at"))
        out = {"credentialIDs": [c.credential_id for c in creds]}
        if version == "v2" and data.get("credentialInfo"):
            out["credentialInfos"] = [{"credentialID": c.credential_id, **credential_info(c, data, 2)} for c in creds]
        return answer(cs.CscListSerializer, out)


class CredInfoView(CscView):
    @csc_schema(cs.CscCredentialInfoInput, {200: cs.CREDENTIAL_INFO})
    def post(self, request, version):
        data = self.body(request)
        v, shape = (1, cs.CscCredentialInfoV1Serializer) if version == "v1" else (2, cs.CscCredentialInfoV2Serializer)
        return answer(shape, credential_info(self.credential(request, data), data, v))


class SendOtpView(CscView):
    @csc_schema(cs.CscCredentialInput, {204: None})
    def post(self, request, version):
        scal2.send_otp(self.credential(request, self.body(request)))
        return Response(status=204)


class AuthorizeView(CscView):
    @csc_schema(cs.AUTHORIZE_INPUT, {200: cs.CscAuthorizeSerializer})
    def post(self, request, version):
        data = self.body(request)
        cred = self.credential(request, data)
        if version == "v1":
            pin, otp, hashes = data.get("PIN"), data.get("OTP"), data.get("hash")
            hash_algo = {48: "sha384", 64: "sha512"}.get(len(base64.b64decode(hashes[0])) if hashes and
                                                         isinstance(hashes, list) and isinstance(hashes[0], str) and
                                                         _is_b64(hashes[0]) else 32, "sha256")
        else:
            auth_data = data.get("authData") or []
            if not isinstance(auth_data, list):
                raise InvalidInput("mobile.authorize.auth_data", _("authData must be a list of {id, value} objects."))
            auth = {str(o.get("id")): o.get("value") for o in auth_data if isinstance(o, dict)}
            pin, otp, hashes = auth.get("PIN"), auth.get("OTP"), data.get("hashes")
            hash_algo = keys.HASH_OIDS.get(str(data.get("hashAlgorithmOID") or "2.16.840.1.101.3.4.2.1"), "")
            if not hash_algo:
                raise InvalidInput("mobile.hash.algorithm", _("Unsupported hash algorithm %(algo)s."),
                                   algo=data.get("hashAlgorithmOID"))
        if not pin or not otp:
            raise InvalidInput("mobile.authorize.factors", _("Both the PIN and the one-time code are required "
                                                             "(SCAL2)."))
        count = data.get("numSignatures")
        if count is not None and (isinstance(count, bool) or not isinstance(count, int)):
            raise InvalidInput("mobile.authorize.count", _("numSignatures must equal the number of hashes (SCAL2)."))
        sad, ttl = scal2.authorize(cred, pin=str(pin), otp=str(otp), hashes=hashes, hash_algo=hash_algo,
                                   num_signatures=count, description=data.get("description", ""))
        return answer(cs.CscAuthorizeSerializer, {"SAD": sad, "expiresIn": ttl})


def _is_b64(value: str) -> bool:
    try:
        base64.b64decode(value, validate=True)
        return True
    except ValueError:
        return False


class SignHashView(CscView):
    @csc_schema(cs.SIGN_HASH_INPUT, {200: cs.CscSignaturesSerializer, 202: cs.CscResponseIdSerializer})
    def post(self, request, version):
        data = self.body(request)
        cred = self.credential(request, data)
        hashes = data.get("hash") if version == "v1" else data.get("hashes")
        hash_oid = data.get("hashAlgo") if version == "v1" else data.get("hashAlgorithmOID")
        if version == "v2" and str(data.get("operationMode", "S")) == "A":
            # The asynchronous flow: the holder confirms on his phone, the client polls signPolling.
            algo = keys.SIGN_ALGOS.get(str(data.get("signAlgo") or ""))
            hash_name = (algo[1] if algo else None) or keys.HASH_OIDS.get(str(hash_oid or ""), "sha256")
            req = services.request_signature(
                signer=request.user, hashes=hashes or [], hash_algo=hash_name, credential=cred,
                display_text=str(data.get("description") or data.get("clientData") or _("Signature requested by %(c)s")
                                 % {"c": request.user}), requested_by=request.user,
                client_ref=str(data.get("clientData") or "")[:100])
            return answer(cs.CscResponseIdSerializer, {"responseID": str(req.pk)}, 202)
        if not data.get("SAD"):
            raise InvalidInput("mobile.sad.missing", _("The SAD from credentials/authorize is required."))
        sigs = scal2.sign_hash(cred, sad=str(data["SAD"]), hashes=hashes or [], hash_algo=hash_oid,
                                  sign_algo=str(data.get("signAlgo") or ""))
        return answer(cs.CscSignaturesSerializer, {"signatures": [base64.b64encode(s).decode() for s in sigs]})


def _documents(data) -> list[tuple[bytes, str, str]]:
    docs = data.get("documents")
    if not isinstance(docs, list) or not docs:
        raise InvalidInput("mobile.document.missing", _("At least one document is needed."))
    out = []
    for d in docs:
        if not isinstance(d, dict):
            raise InvalidInput("mobile.document.missing", _("At least one document is needed."))
        try:
            raw = base64.b64decode(str(d.get("document") or ""), validate=True)
        except ValueError:
            raise InvalidInput("mobile.document.encoding", _("A document is not valid base64.")) from None
        out.append((raw, str(d.get("signature_format") or ""), str(d.get("conformance_level") or "")))
    return out


class SignDocView(CscView):
    """Kyso signs whole documents (PAdES, XAdES) with the holder's key: synchronously with a SAD that
    covers each document's SHA-256, or asynchronously after the holder confirms on his phone."""

    @csc_schema(cs.CscSignDocInput, {200: cs.CscSignDocSerializer, 202: cs.CscResponseIdSerializer})
    def post(self, request, version):
        data = self.body(request)
        cred = self.credential(request, data)
        docs = _documents(data)
        if str(data.get("operationMode", "S")) == "A":
            if len(docs) != 1:
                raise InvalidInput("mobile.document.one", _("The asynchronous mode takes one document per request."))
            raw, fmt, level = docs[0]
            req = services.request_document_signature(
                signer=request.user, data=raw, name=str(data.get("documentName") or "document"), fmt=fmt,
                level=level, credential=cred, requested_by=request.user,
                display_text=str(data.get("description") or _("Sign a document for %(c)s") % {"c": request.user}),
                client_ref=str(data.get("clientData") or "")[:100])
            return answer(cs.CscResponseIdSerializer, {"responseID": str(req.pk)}, 202)
        if not data.get("SAD"):
            raise InvalidInput("mobile.sad.missing", _("The SAD from credentials/authorize is required."))
        signed = scal2.sign_documents(cred, sad=str(data["SAD"]), documents=docs)
        return answer(cs.CscSignDocSerializer, {"DocumentWithSignature": [base64.b64encode(d).decode() for d in signed],
                                                "SignatureObject": []})


class SignPollingView(CscView):
    @csc_schema(cs.CscPollingInput, {200: cs.POLLED, 202: cs.CscPendingSerializer})
    def post(self, request, version):
        data = self.body(request)
        req = services.get_request(str(data.get("responseID") or ""), user=request.user)
        if req.state == RequestState.PENDING:
            return answer(cs.CscPendingSerializer, {"status": "pending", "expiresAt": req.expires_at.isoformat()}, 202)
        if req.state == RequestState.SIGNED:
            if req.signed_document_id:
                return answer(cs.CscSignedDocumentsSerializer,
                              {"DocumentWithSignature": [base64.b64encode(read(req.signed_document)).decode()]})
            return answer(cs.CscSignaturesSerializer, {"signatures": req.signatures})
        if req.state == RequestState.REFUSED:
            raise Forbidden(req.error_code or "mobile.request.refused", _("The holder refused."))
        raise InvalidState(req.error_code or f"mobile.request.{req.state}", req.error_message or req.get_state_display())


@csrf_exempt
def unknown(request, *args, **kwargs):
    """Any other path under /csc/ (a method v1 does not have, /csc/v3/…): the CSC error form, not Kyso's."""
    return JsonResponse(cs.CscErrorSerializer({
        "error": "invalid_request", "error_description": _("The CSC API has no such method."),
        "error_code": "mobile.request.method"}).data, status=404)
