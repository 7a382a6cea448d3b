"""Kyso's own API for mobile signing: credentials (holders see theirs, IT officers those of their
units and enrol or disable them), PIN change, and the holder's signature requests."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from kyso.accounts import scope
from kyso.accounts.models import User
from kyso.core.errors import InvalidInput, NotFound
from kyso.files.views import file_response

from .. import administration, services
from ..models import Credential, SignatureRequest
from ..permissions import MOBILE_MANAGE, MOBILE_REQUEST, MOBILE_VIEW


def credential_dict(c: Credential, shown: set) -> dict:
    """`shown`: the credentials whose phone number the reader sees in full (`administration.phones_shown`)."""
    return {"credential_id": c.credential_id, "holder": c.holder.username, "channel": c.channel,
            "msisdn": c.msisdn if c.pk in shown else administration.masked(c.msisdn), "enabled": c.enabled, "pin_locked": c.pin_locked,
            "failed_pins": c.failed_pins, "certificate_serial": c.certificate.serial,
            "valid_until": c.certificate.not_after, "multisign": c.multisign, "created_at": c.created_at}


def request_dict(r: SignatureRequest) -> dict:
    return {"id": str(r.pk), "state": r.state, "channel": r.channel, "display_text": r.display_text,
            "created_at": r.created_at, "expires_at": r.expires_at, "error_code": r.error_code,
            "error_message": r.error_message, "signatures": r.signatures if r.state == "signed" else [],
            "signed_document": (f"/api/v1/mobile/requests/{r.pk}/document/"
                                if r.state == "signed" and r.signed_document_id else None)}


def _cred_fields():
    return {"credential_id": serializers.CharField(), "holder": serializers.CharField(),
            "channel": serializers.CharField(), "msisdn": serializers.CharField(),
            "enabled": serializers.BooleanField(), "pin_locked": serializers.BooleanField(),
            "failed_pins": serializers.IntegerField(), "certificate_serial": serializers.CharField(),
            "valid_until": serializers.DateTimeField()}


CRED = inline_serializer("MobileCredential", _cred_fields())
CRED_LIST = inline_serializer("MobileCredentialItem", _cred_fields(), many=True)
ENROL = inline_serializer("MobileEnrol", {"holder": serializers.CharField(help_text="login"),
                                          "channel": serializers.ChoiceField(["app", "sim"]),
                                          "msisdn": serializers.CharField(required=False)})
PIN = inline_serializer("MobilePinChange", {"old_pin": serializers.CharField(), "new_pin": serializers.CharField()})
REQ = inline_serializer("MobileRequest", {"id": serializers.UUIDField(), "state": serializers.CharField(),
                                          "display_text": serializers.CharField()})
REQ_LIST = inline_serializer("MobileRequestItem", {"id": serializers.UUIDField(), "state": serializers.CharField(),
                                                   "display_text": serializers.CharField()}, many=True)


def _visible(user):
    qs = Credential.objects.select_related("holder__person__unit", "certificate")
    own = qs.filter(holder=user)
    if scope.has_permission_anywhere(user, MOBILE_VIEW):
        return (own | scope.filter_by_scope(qs, user, MOBILE_VIEW, "holder__person__unit__path")).distinct()
    return own


def _get(user, credential_id) -> Credential:
    cred = _visible(user).filter(credential_id=credential_id).first()
    if cred is None:
        raise NotFound("mobile.credential.not_found", "Không tìm thấy tài khoản ký số.")
    return cred


def _holder(user, login: str, perm: str):
    """The account `login` names, for `user` asking to act on it with `perm`: himself, or a holder in his scope
    (a holder without a unit: only the agency-wide roles). One who may not act for others is refused whatever
    the login; one who may, but not for this holder, gets the answer an unknown login gets (None) — before, a
    subscriber learnt from 403 against 404 which logins exist and an officer which were outside his scope."""
    if login and login == user.get_username():
        return user
    scope.require(user, perm)
    holder = User.objects.select_related("person__unit").filter(username=login).first() if login else None
    if holder is None or not scope.can(user, perm, administration.holder_unit(holder)):
        return None
    return holder


def _body(request) -> dict:
    """The request's fields; a body that is not an object reads as none."""
    return request.data if isinstance(request.data, dict) else {}


def _named_holder(request, field: str, perm: str, refusal):
    """The holder the body's `field` names, for the asker to act on with `perm` (`_holder`); an unknown login, or
    one he may not act for, is refused with the error the endpoint answers (`refusal`: InvalidInput, NotFound)."""
    data = _body(request)
    holder = _holder(request.user, str(data.get(field) or ""), perm)
    if holder is None:
        raise refusal("mobile.holder.unknown", "Không có tài khoản người ký %(u)s.", u=data.get(field))
    return holder


def _one(user, cred: Credential) -> dict:
    return credential_dict(cred, administration.phones_shown(user, [cred], via="api.detail"))


class CredentialsView(APIView):
    @extend_schema(responses=CRED_LIST)
    def get(self, request):
        creds = list(_visible(request.user).order_by("-created_at")[:500])
        shown = administration.phones_shown(request.user, creds, via="api.list")
        return Response([credential_dict(c, shown) for c in creds])

    @extend_schema(request=ENROL, responses={201: CRED})
    def post(self, request):
        data = _body(request)
        holder = _named_holder(request, "holder", MOBILE_MANAGE, InvalidInput)
        cred = administration.enrol_for(request.user, holder, channel=str(data.get("channel") or ""),
                                  msisdn=str(data.get("msisdn") or ""))
        return Response(_one(request.user, cred), status=201)


class CredentialView(APIView):
    @extend_schema(responses=CRED)
    def get(self, request, credential_id):
        return Response(_one(request.user, _get(request.user, credential_id)))


class CredentialEnableView(APIView):
    enabled = True

    @extend_schema(request=None, responses=CRED)
    def post(self, request, credential_id):
        cred = administration.set_enabled(request.user, _get(request.user, credential_id), self.enabled)
        return Response(_one(request.user, cred))


class CredentialDisableView(CredentialEnableView):
    enabled = False


class PinView(APIView):
    @extend_schema(request=PIN, responses={204: None})
    def post(self, request, credential_id):
        data = _body(request)
        services.change_pin(_get(request.user, credential_id), request.user, data.get("old_pin"),
                            data.get("new_pin"))
        return Response(status=204)


class CredentialUnlockView(APIView):
    """The IT Center unlocks a credential locked after too many wrong PINs."""

    @extend_schema(request=None, responses=CRED)
    def post(self, request, credential_id):
        return Response(_one(request.user, administration.unlock_pin(request.user, _get(request.user, credential_id))))


NEW_REQ = inline_serializer("MobileRequestCreate", {
    "signer": serializers.CharField(help_text="the holder's login"),
    "hashes": serializers.ListField(child=serializers.CharField(), help_text="base64 digests"),
    "hash_algo": serializers.ChoiceField(["sha256", "sha384", "sha512"], required=False),
    "display_text": serializers.CharField(help_text="what the holder reads on his phone"),
    "channel": serializers.ChoiceField(["auto", "app", "sim"], required=False),
    "client_ref": serializers.CharField(required=False)})


class RequestsView(APIView):
    @extend_schema(request=NEW_REQ, responses={201: REQ})
    def post(self, request):
        """Ask a holder to sign on his phone: the holder himself, or a clerk of a unit that covers him."""
        data = _body(request)
        signer = _named_holder(request, "signer", MOBILE_REQUEST, NotFound)
        req = services.request_signature(signer=signer, hashes=data.get("hashes") or [],
                                         hash_algo=str(data.get("hash_algo") or "sha256"),
                                         display_text=str(data.get("display_text") or ""),
                                         channel=str(data.get("channel") or "auto"), requested_by=request.user,
                                         client_ref=str(data.get("client_ref") or ""))
        return Response(request_dict(req), status=201)

    @extend_schema(responses=REQ_LIST)
    def get(self, request):
        qs = SignatureRequest.objects.filter(Q(credential__holder=request.user) | Q(requested_by=request.user)
                                             ).select_related("credential")
        if request.query_params.get("state"):
            qs = qs.filter(state=request.query_params["state"])
        return Response([request_dict(r) for r in qs[:200]])


class RequestView(APIView):
    @extend_schema(responses=REQ)
    def get(self, request, request_id):
        return Response(request_dict(services.get_request(request_id, user=request.user)))


class RequestDocumentView(APIView):
    """The signed document of a request once the holder confirmed it on his phone."""

    @extend_schema(responses={(200, "application/octet-stream"): bytes})
    def get(self, request, request_id):
        req = services.get_request(request_id, user=request.user)
        if req.state != "signed" or not req.signed_document_id:
            raise NotFound("mobile.request.no_document", _("There is no signed document for this request (yet)."))
        return file_response(req.signed_document)
