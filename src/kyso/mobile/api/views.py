"""Kyso's own API for mobile signing: credentials (holders see theirs, IT officers those of their
units and enrol or disable them), PIN change, and the holder's signature requests."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from rest_framework.response import Response
from rest_framework.views import APIView

from kyso.accounts import scope
from kyso.accounts.models import User
from kyso.core.api.inputs import valid
from kyso.core.api.pagination import PAGE_PARAMETERS, page, paged
from kyso.core.errors import InvalidInput, NotFound
from kyso.files.views import file_response

from .. import administration, services
from ..models import Credential, SignatureRequest
from ..permissions import MOBILE_MANAGE, MOBILE_REQUEST, MOBILE_VIEW
from . import serializers as s


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


def _named_holder(request, login: str, perm: str, refusal):
    """The holder `login` names, for the asker to act on with `perm` (`_holder`); an unknown login, or one he
    may not act for, is refused with the error the endpoint answers (`refusal`: InvalidInput, NotFound)."""
    holder = _holder(request.user, login, perm)
    if holder is None:
        raise refusal("mobile.holder.unknown", "Không có tài khoản người ký %(u)s.", u=login)
    return holder


def _one(user, cred: Credential) -> dict:
    return s.CredentialSerializer(cred, context={"shown": administration.phones_shown(user, [cred], via="api.detail")}).data


class CredentialsView(APIView):
    @extend_schema(operation_id="mobile_credentials_list", responses=paged(s.CredentialSerializer),
                   parameters=PAGE_PARAMETERS)
    def get(self, request):
        return page(request, _visible(request.user), s.CredentialSerializer, ordering="-created_at", view=self,
                    context=lambda creds: {"shown": administration.phones_shown(request.user, creds, via="api.list")})

    @extend_schema(request=s.EnrolInput, responses={201: s.CredentialSerializer})
    def post(self, request):
        data = valid(s.EnrolInput, request)
        holder = _named_holder(request, data["holder"], MOBILE_MANAGE, InvalidInput)
        cred = administration.enrol_for(request.user, holder, channel=data["channel"], msisdn=data["msisdn"])
        return Response(_one(request.user, cred), status=201)


class CredentialView(APIView):
    @extend_schema(operation_id="mobile_credential_get", responses=s.CredentialSerializer)
    def get(self, request, credential_id):
        return Response(_one(request.user, _get(request.user, credential_id)))


class CredentialEnableView(APIView):
    enabled = True

    @extend_schema(request=None, responses=s.CredentialSerializer)
    def post(self, request, credential_id):
        cred = administration.set_enabled(request.user, _get(request.user, credential_id), self.enabled)
        return Response(_one(request.user, cred))


class CredentialDisableView(CredentialEnableView):
    enabled = False


class PinView(APIView):
    @extend_schema(request=s.PinChangeInput, responses={204: None})
    def post(self, request, credential_id):
        cred = _get(request.user, credential_id)
        data = valid(s.PinChangeInput, request)
        services.change_pin(cred, request.user, data["old_pin"], data["new_pin"])
        return Response(status=204)


class CredentialUnlockView(APIView):
    """The IT Center unlocks a credential locked after too many wrong PINs."""

    @extend_schema(request=None, responses=s.CredentialSerializer)
    def post(self, request, credential_id):
        return Response(_one(request.user, administration.unlock_pin(request.user, _get(request.user, credential_id))))


class RequestsView(APIView):
    @extend_schema(request=s.RequestInput, responses={201: s.SignatureRequestSerializer})
    def post(self, request):
        """Ask a holder to sign on his phone: the holder himself, or a clerk of a unit that covers him."""
        data = valid(s.RequestInput, request)
        signer = _named_holder(request, data["signer"], MOBILE_REQUEST, NotFound)
        req = services.request_signature(signer=signer, hashes=data["hashes"], hash_algo=data["hash_algo"],
                                         display_text=data["display_text"], channel=data["channel"],
                                         requested_by=request.user, client_ref=data["client_ref"])
        return Response(s.SignatureRequestSerializer(req).data, status=201)

    @extend_schema(operation_id="mobile_requests_list", responses=paged(s.SignatureRequestSerializer),
                   parameters=PAGE_PARAMETERS)
    def get(self, request):
        qs = SignatureRequest.objects.filter(Q(credential__holder=request.user) | Q(requested_by=request.user)
                                             ).select_related("credential")
        if request.query_params.get("state"):
            qs = qs.filter(state=request.query_params["state"])
        return page(request, qs, s.SignatureRequestSerializer, ordering="-created_at", view=self)


class RequestView(APIView):
    @extend_schema(operation_id="mobile_request_get", responses=s.SignatureRequestSerializer)
    def get(self, request, request_id):
        return Response(s.SignatureRequestSerializer(services.get_request(request_id, user=request.user)).data)


class RequestDocumentView(APIView):
    """The signed document of a request once the holder confirmed it on his phone."""

    @extend_schema(responses={(200, "application/octet-stream"): bytes})
    def get(self, request, request_id):
        req = services.get_request(request_id, user=request.user)
        if req.state != "signed" or not req.signed_document_id:
            raise NotFound("mobile.request.no_document", _("There is no signed document for this request (yet)."))
        return file_response(req.signed_document)
