"""The e-office API: the same steps as the pages (drafts, review, the leader's signature by token or phone,
sealing and numbering, dispatch; incoming registration with verification, assignment, completion). Input and
output through serializers; every step through the domain (`services`), which runs it through the workflow.
The signer, reviewer and assignee go down as logins: the step looks them up, so an unknown login gets the
answer one outside the unit gets — the API does not tell which logins exist."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from kyso.core import dates
from kyso.core.api.inputs import valid
from kyso.core.api.parsers import FormParser, JsonObjectParser as JSONParser, MultiPartParser
from kyso.core.api.pagination import PAGE_PARAMETERS, page, paged
from kyso.core.errors import InvalidInput, NotFound
from kyso.files.storage import read
from kyso.org.models import Unit

from .. import services
from . import serializers as s

MAX_UPLOAD = services.MAX_FILE_BYTES


def _recipients(request) -> list[str]:
    data = request.data
    if hasattr(data, "getlist"):
        values = data.getlist("recipients")
        if len(values) == 1 and "," in values[0]:
            values = values[0].split(",")
        return [v.strip() for v in values if v.strip()]
    value = data.get("recipients") or []
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    raise InvalidInput("eoffice.recipient.invalid", _("The list of recipient units is not valid."))


def _upload(f, required: bool):
    if f is None:
        if required:
            raise InvalidInput("eoffice.file.missing", _("Choose the file of the document."))
        return None, ""
    if f.size > MAX_UPLOAD:
        raise InvalidInput("eoffice.file.too_large", _("The file is larger than the allowed %(mb)s MB."),
                           mb=MAX_UPLOAD // (1024 * 1024))
    return f.read(), f.name


def _attachments(request) -> list[tuple[str, bytes]]:
    files = request.FILES.getlist("attachments")
    if len(files) > services.MAX_ATTACHMENTS:
        raise InvalidInput("eoffice.attachments.too_many", _("At most %(n)s attachments."), n=services.MAX_ATTACHMENTS)
    return [_upload(f, required=True)[::-1] for f in files]


def _year(value: str):
    return int(value) if value.isdigit() and len(value) == 4 else None


class OutgoingList(APIView):
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(operation_id="eoffice_outgoing_list", responses=paged(s.OutgoingItemSerializer),
                   parameters=PAGE_PARAMETERS)
    def get(self, request):
        p = request.query_params
        qs = services.search(request.user, book="out", q=p.get("q", ""), year=_year(p.get("year", "")),
                             state=p.get("state", ""), doc_type=p.get("doc_type", ""))
        return page(request, qs, s.OutgoingItemSerializer, ordering="-created_at", view=self)

    @extend_schema(operation_id="eoffice_outgoing_create", request=s.DraftInput, responses={201: s.OutgoingSerializer})
    def post(self, request):
        data = valid(s.DraftInput, request)
        content, name = _upload(request.FILES.get("file"), required=False)
        doc = services.create_draft(
            request.user, subject=data["subject"], signer=data["signer"], signer_title=data["signer_title"],
            doc_type=data["doc_type"] or "CV", data=content, filename=name, body=data["body"],
            recipients=_recipients(request), external_recipients=data["external_recipients"],
            caption=data["caption"], on_behalf_of=data["on_behalf_of"], urgency=data["urgency"] or "normal",
            attachments=_attachments(request))
        return Response(s.OutgoingSerializer(doc).data, status=201)


class OutgoingDetail(APIView):
    @extend_schema(operation_id="eoffice_outgoing_get", responses=s.OutgoingSerializer)
    def get(self, request, pk):
        return Response(s.OutgoingSerializer(services.get_outgoing(request.user, pk)).data)


class OutgoingFile(APIView):
    @extend_schema(operation_id="eoffice_outgoing_file", responses={(200, "application/pdf"): bytes})
    def get(self, request, pk, kind):
        doc = services.get_outgoing(request.user, pk)
        stored = {"draft": doc.draft, "signed": doc.signed_file, "issued": doc.issued_file}.get(kind)
        if stored is None:
            raise NotFound("eoffice.file.not_found", _("The document has no such file yet."))
        resp = HttpResponse(read(stored), content_type="application/pdf")
        resp["Content-Disposition"] = f'attachment; filename="{kind}.pdf"'
        return resp


def _outgoing_step(action: str, doc, user, data, request):
    if action == "submit":
        return services.submit_for_review(doc, user, data["reviewer"] or None)
    if action in ("approve", "return"):
        return services.review(doc, user, approve=action == "approve", note=data["note"])
    if action == "replace":
        content, name = _upload(request.FILES.get("file"), required=True)
        return services.replace_draft(doc, user, content, name)
    if action == "sign-token":
        return services.sign_with_token(doc, user, certificate=data["certificate"], pin=data["pin"])
    if action == "sign-phone":
        return services.request_phone_signature(doc, user, channel=data["channel"] or "auto")
    if action == "issue":
        return services.issue(doc, user)
    if action == "dispatch":
        return services.dispatch(doc, user)
    raise NotFound("eoffice.action.unknown", _("No such action: %(a)s."), a=action[:40])


class OutgoingAction(APIView):
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    @extend_schema(operation_id="eoffice_outgoing_action", request=s.OutgoingActionInput,
                   responses=s.OutgoingSerializer)
    def post(self, request, pk, action):
        doc = services.get_outgoing(request.user, pk)
        data = valid(s.OutgoingActionInput, request)
        doc = _outgoing_step(action, doc, request.user, data, request)
        return Response(s.OutgoingSerializer(doc).data)


class IncomingList(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(operation_id="eoffice_incoming_list", responses=paged(s.IncomingItemSerializer),
                   parameters=PAGE_PARAMETERS)
    def get(self, request):
        p = request.query_params
        qs = services.search(request.user, book="in", q=p.get("q", ""), year=_year(p.get("year", "")),
                             state=p.get("state", ""), doc_type=p.get("doc_type", ""), unit=p.get("unit", ""))
        return page(request, qs, s.IncomingItemSerializer, ordering="-received_at", view=self)

    @extend_schema(operation_id="eoffice_incoming_register", request=s.ReceiveInput,
                   responses={201: s.IncomingSerializer})
    def post(self, request):
        data = valid(s.ReceiveInput, request)
        unit = Unit.objects.filter(code=data["unit"]).first()
        if unit is None:
            raise InvalidInput("eoffice.unit.unknown", _("No unit %(u)s."), u=data["unit"])
        content, name = _upload(request.FILES.get("file"), required=True)
        doc = services.receive_external(
            request.user, unit, content, filename=name, sender=data["sender"], subject=data["subject"],
            original_number=data["original_number"],
            original_date=dates.parse(data["original_date"], field="original_date"),
            doc_type=data["doc_type"] or "CV", urgency=data["urgency"] or "normal", attachments=_attachments(request))
        return Response(s.IncomingSerializer(doc).data, status=201)


class IncomingDetail(APIView):
    @extend_schema(operation_id="eoffice_incoming_get", responses=s.IncomingSerializer)
    def get(self, request, pk):
        return Response(s.IncomingSerializer(services.get_incoming(request.user, pk)).data)


class IncomingAction(APIView):
    parser_classes = [JSONParser, FormParser]

    @extend_schema(operation_id="eoffice_incoming_action", request=s.IncomingActionInput,
                   responses=s.IncomingSerializer)
    def post(self, request, pk, action):
        doc = services.get_incoming(request.user, pk)
        data = valid(s.IncomingActionInput, request)
        if action == "assign":
            doc = services.assign(doc, request.user, data["assignee"], days=data["days"], instructions=data["instructions"])
        elif action == "complete":
            doc = services.complete(doc, request.user, data["outcome"])
        else:
            raise NotFound("eoffice.action.unknown", _("No such action: %(a)s."), a=action[:40])
        return Response(s.IncomingSerializer(doc).data)
