"""The e-office API: the same steps as the pages (drafts, review, the leader's signature by token or phone,
sealing and numbering, dispatch; incoming registration with verification, assignment, completion)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpResponse
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from kyso.accounts.models import User
from kyso.core.errors import InvalidInput, NotFound
from kyso.files.storage import read
from kyso.org.models import Unit

from .. import services

MAX_UPLOAD = services.MAX_FILE_BYTES


def outgoing_dict(d, detail=False) -> dict:
    out = {"id": str(d.pk), "state": d.state, "doc_type": d.doc_type, "subject": d.subject, "urgency": d.urgency,
           "issuer": d.unit.code, "drafting_unit": d.drafting_unit.code, "drafted_by": d.drafted_by.username,
           "signer": d.signer.username, "signer_title": d.signer_title, "caption": d.caption,
           "on_behalf_of": d.on_behalf_of, "version": d.version, "signed_via": d.signed_via,
           "number": d.number, "symbol": d.symbol, "number_symbol": d.number_symbol, "issued_on": d.issued_on,
           "created_at": d.created_at}
    if detail:
        out["recipients"] = [{"unit": r.unit.code, "incoming": str(r.incoming_id) if r.incoming_id else None}
                             for r in d.recipients.select_related("unit")]
        out["external_recipients"] = d.external_recipients
        out["signature_request"] = str(d.signature_request_id) if d.signature_request_id else None
        out["files"] = {k: f.sha256 for k, f in (("draft", d.draft), ("signed", d.signed_file),
                                                  ("issued", d.issued_file)) if f is not None}
        out["attachments"] = [{"id": a.pk, "name": a.name, "sealed": a.file_id is not None}
                              for a in d.attachments.all()]
        out["history"] = [{"at": e.at, "verb": e.verb, "by": e.actor.username if e.actor else None, "note": e.note}
                          for e in d.events.select_related("actor")]
    return out


def incoming_dict(d, detail=False) -> dict:
    out = {"id": str(d.pk), "unit": d.unit.code, "year": d.year, "arrival_number": d.arrival_number,
           "received_at": d.received_at, "sender": d.sender, "original_number": d.original_number,
           "original_date": d.original_date, "doc_type": d.doc_type, "subject": d.subject, "urgency": d.urgency,
           "indication": d.indication, "sub_indication": d.sub_indication, "state": d.state,
           "assignee": d.assignee.username if d.assignee else None, "due_date": d.due_date,
           "source": str(d.source_id) if d.source_id else None}
    if detail:
        out["report"] = d.report
        out["file_sha256"] = d.file.sha256
        out["instructions"], out["outcome"] = d.instructions, d.outcome
        out["attachments"] = [{"id": a.pk, "name": a.name, "indication": a.indication,
                               "sub_indication": a.sub_indication, "report": a.report} for a in d.attachments.all()]
        out["history"] = [{"at": e.at, "verb": e.verb, "by": e.actor.username if e.actor else None, "note": e.note}
                          for e in d.events.select_related("actor")]
    return out


def _str(data, key, default=""):
    value = data.get(key, default)
    return value if isinstance(value, str) else default


def _list(data, key):
    if hasattr(data, "getlist"):
        values = data.getlist(key)
        if len(values) == 1 and "," in values[0]:
            values = values[0].split(",")
        return [v.strip() for v in values if v.strip()]
    value = data.get(key) or []
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    raise InvalidInput("eoffice.recipient.invalid", "Danh sách đơn vị nhận không hợp lệ.")


def _upload(request, required: bool):
    f = request.FILES.get("file")
    if f is None:
        if required:
            raise InvalidInput("eoffice.file.missing", "Chưa chọn tệp văn bản.")
        return None, ""
    if f.size > MAX_UPLOAD:
        raise InvalidInput("eoffice.file.too_large", "Tệp lớn hơn %(mb)s MB cho phép.", mb=MAX_UPLOAD // (1024 * 1024))
    return f.read(), f.name


def _attachments(request) -> list[tuple[str, bytes]]:
    files = request.FILES.getlist("attachments")
    if len(files) > services.MAX_ATTACHMENTS:
        raise InvalidInput("eoffice.attachments.too_many", "Tối đa %(n)s tệp đính kèm.", n=services.MAX_ATTACHMENTS)
    if any(f.size > MAX_UPLOAD for f in files):
        raise InvalidInput("eoffice.file.too_large", "Tệp lớn hơn %(mb)s MB cho phép.", mb=MAX_UPLOAD // (1024 * 1024))
    return [(f.name, f.read()) for f in files]


def _date(value):
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise InvalidInput("eoffice.date.invalid", "Ngày không hợp lệ (YYYY-MM-DD).") from None


OUT = inline_serializer("EofficeOutgoing", {"id": serializers.UUIDField(), "state": serializers.CharField(),
                                            "subject": serializers.CharField(),
                                            "number_symbol": serializers.CharField()})
NEW_OUT = inline_serializer("EofficeDraft", {
    "subject": serializers.CharField(), "doc_type": serializers.CharField(required=False),
    "signer": serializers.CharField(help_text="login of the signing leader"),
    "signer_title": serializers.CharField(required=False), "caption": serializers.CharField(required=False),
    "on_behalf_of": serializers.CharField(required=False), "urgency": serializers.CharField(required=False),
    "recipients": serializers.ListField(child=serializers.CharField(), help_text="unit codes"),
    "external_recipients": serializers.CharField(required=False),
    "body": serializers.CharField(required=False, help_text="the text, when no PDF is uploaded"),
    "attachments": serializers.ListField(child=serializers.FileField(), required=False,
                                         help_text="attachments in separate PDF files (Art. 8.7)"),
    "file": serializers.FileField(required=False)})
OUT_LIST = inline_serializer("EofficeOutgoingItem", {"id": serializers.UUIDField(), "state": serializers.CharField(),
                                                     "subject": serializers.CharField()}, many=True)
IN_LIST = inline_serializer("EofficeIncomingItem", {"id": serializers.UUIDField(),
                                                    "arrival_number": serializers.IntegerField()}, many=True)
IN = inline_serializer("EofficeIncoming", {"id": serializers.UUIDField(), "arrival_number": serializers.IntegerField(),
                                           "indication": serializers.CharField(), "state": serializers.CharField()})
ACTION = inline_serializer("EofficeAction", {
    "reviewer": serializers.CharField(required=False), "note": serializers.CharField(required=False),
    "certificate": serializers.CharField(required=False), "pin": serializers.CharField(required=False),
    "channel": serializers.CharField(required=False)})


class OutgoingList(APIView):
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(operation_id="eoffice_outgoing_list", responses=OUT_LIST)
    def get(self, request):
        p = request.query_params
        year = p.get("year", "")
        qs = services.search(request.user, book="out", q=p.get("q", ""), year=int(year) if year.isdigit() else None,
                             state=p.get("state", ""), doc_type=p.get("doc_type", ""))
        return Response([outgoing_dict(d) for d in qs[:500]])

    @extend_schema(operation_id="eoffice_outgoing_create", request=NEW_OUT, responses={201: OUT})
    def post(self, request):
        data = request.data
        signer = User.objects.filter(username=_str(data, "signer")).first()
        if signer is None:
            raise InvalidInput("eoffice.signer.unknown", "Không có tài khoản người ký %(u)s.", u=_str(data, "signer"))
        content, name = _upload(request, required=False)
        doc = services.create_draft(
            request.user, subject=_str(data, "subject"), signer=signer, signer_title=_str(data, "signer_title"),
            doc_type=_str(data, "doc_type", "CV"), data=content, filename=name, body=_str(data, "body"),
            recipients=_list(data, "recipients"), external_recipients=_str(data, "external_recipients"),
            caption=_str(data, "caption"), on_behalf_of=_str(data, "on_behalf_of"),
            urgency=_str(data, "urgency", "normal"), attachments=_attachments(request))
        return Response(outgoing_dict(doc, detail=True), status=201)


class OutgoingDetail(APIView):
    @extend_schema(operation_id="eoffice_outgoing_get", responses=OUT)
    def get(self, request, pk):
        return Response(outgoing_dict(services.get_outgoing(request.user, pk), detail=True))


class OutgoingFile(APIView):
    @extend_schema(operation_id="eoffice_outgoing_file", responses={(200, "application/pdf"): bytes})
    def get(self, request, pk, kind):
        doc = services.get_outgoing(request.user, pk)
        stored = {"draft": doc.draft, "signed": doc.signed_file, "issued": doc.issued_file}.get(kind)
        if stored is None:
            raise NotFound("eoffice.file.not_found", "Văn bản chưa có tệp này.")
        resp = HttpResponse(read(stored), content_type="application/pdf")
        resp["Content-Disposition"] = f'attachment; filename="{kind}.pdf"'
        return resp


class OutgoingAction(APIView):
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    @extend_schema(operation_id="eoffice_outgoing_action", request=ACTION, responses=OUT)
    def post(self, request, pk, action):
        doc = services.get_outgoing(request.user, pk)
        data, user = request.data, request.user
        if action == "submit":
            reviewer = None
            if _str(data, "reviewer"):
                reviewer = User.objects.filter(username=_str(data, "reviewer")).first()
                if reviewer is None:
                    raise InvalidInput("eoffice.reviewer.unknown", "Không có tài khoản %(u)s.", u=_str(data, "reviewer"))
            doc = services.submit_for_review(doc, user, reviewer)
        elif action in ("approve", "return"):
            doc = services.review(doc, user, approve=action == "approve", note=_str(data, "note"))
        elif action == "replace":
            content, name = _upload(request, required=True)
            doc = services.replace_draft(doc, user, content, name)
        elif action == "sign-token":
            doc = services.sign_with_token(doc, user, certificate=_str(data, "certificate"), pin=_str(data, "pin"))
        elif action == "sign-phone":
            doc = services.request_phone_signature(doc, user, channel=_str(data, "channel", "auto"))
        elif action == "issue":
            doc = services.issue(doc, user)
        elif action == "dispatch":
            doc = services.dispatch(doc, user)
        else:
            raise NotFound("eoffice.action.unknown", "Không có thao tác %(a)s.", a=action[:40])
        return Response(outgoing_dict(doc, detail=True))


class IncomingList(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(operation_id="eoffice_incoming_list", responses=IN_LIST)
    def get(self, request):
        p = request.query_params
        year = p.get("year", "")
        qs = services.search(request.user, book="in", q=p.get("q", ""), year=int(year) if year.isdigit() else None,
                             state=p.get("state", ""), doc_type=p.get("doc_type", ""), unit=p.get("unit", ""))
        return Response([incoming_dict(d) for d in qs[:500]])

    @extend_schema(operation_id="eoffice_incoming_register", request=inline_serializer("EofficeReceive", {
        "unit": serializers.CharField(), "file": serializers.FileField(), "sender": serializers.CharField(),
        "subject": serializers.CharField(), "original_number": serializers.CharField(required=False),
        "original_date": serializers.DateField(required=False), "doc_type": serializers.CharField(required=False),
        "urgency": serializers.CharField(required=False)}), responses={201: IN})
    def post(self, request):
        data = request.data
        unit = Unit.objects.filter(code=_str(data, "unit")).first()
        if unit is None:
            raise InvalidInput("eoffice.unit.unknown", "Không có đơn vị %(u)s.", u=_str(data, "unit"))
        content, name = _upload(request, required=True)
        doc = services.receive_external(
            request.user, unit, content, filename=name, sender=_str(data, "sender"), subject=_str(data, "subject"),
            original_number=_str(data, "original_number"), original_date=_date(_str(data, "original_date")),
            doc_type=_str(data, "doc_type", "CV"), urgency=_str(data, "urgency", "normal"),
            attachments=_attachments(request))
        return Response(incoming_dict(doc, detail=True), status=201)


class IncomingDetail(APIView):
    @extend_schema(operation_id="eoffice_incoming_get", responses=IN)
    def get(self, request, pk):
        return Response(incoming_dict(services.get_incoming(request.user, pk), detail=True))


class IncomingAction(APIView):
    parser_classes = [JSONParser, FormParser]

    @extend_schema(operation_id="eoffice_incoming_action", request=inline_serializer("EofficeAssign", {
        "assignee": serializers.CharField(required=False), "days": serializers.IntegerField(required=False),
        "instructions": serializers.CharField(required=False), "outcome": serializers.CharField(required=False)}),
        responses=IN)
    def post(self, request, pk, action):
        doc = services.get_incoming(request.user, pk)
        data = request.data
        if action == "assign":
            assignee = User.objects.filter(username=_str(data, "assignee")).first()
            if assignee is None:
                raise InvalidInput("eoffice.assignee.unknown", "Không có tài khoản %(u)s.", u=_str(data, "assignee"))
            days = data.get("days")
            if days is not None and not isinstance(days, int):
                days = int(days) if str(days).isdigit() else -1
            doc = services.assign(doc, request.user, assignee, days=days, instructions=_str(data, "instructions"))
        elif action == "complete":
            doc = services.complete(doc, request.user, _str(data, "outcome"))
        else:
            raise NotFound("eoffice.action.unknown", "Không có thao tác %(a)s.", a=action[:40])
        return Response(incoming_dict(doc, detail=True))
