"""Lifecycle API: requests (Form 01), lists (Form 02), the CA exchange, handover, activation,
revocation (Form 05), key devices, deadlines. Thin: every action calls `services`."""

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from kyso.accounts import scope
from kyso.core.api.inputs import valid
from kyso.core.api.permissions import HasKysoPermission
from kyso.core.errors import InvalidInput, NotFound
from kyso.core.exports import XLSX_MEDIA_TYPE, xlsx_response
from kyso.files import checks
from kyso.files.storage import store
from kyso.files.views import file_response
from kyso.org.models import Person, Unit

from .. import bulk, documents, exchange, importing, privacy, services
from ..models import Subscriber
from ..permissions import LC_DEVICE, LC_REVIEW, LC_VIEW
from . import serializers as s


def _unit(code):
    unit = Unit.objects.filter(code=code).first()
    if unit is None:
        raise InvalidInput("lifecycle.unit.unknown", _("Unknown unit %(code)s."), code=code)
    return unit


# What a form answers, by the format its path names (`documents.render`): the document says each media type.
_PDF_OR_DOCX = {(200, "application/pdf"): bytes, (200, documents.DOCX_MEDIA_TYPE): bytes}


def _doc(doc, fmt, name):
    data, ctype = documents.render(doc, fmt)
    resp = HttpResponse(data, content_type=ctype)
    resp["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return resp


def _request_data(user, req, via="api"):
    """A request as the API answers it: its personal data only to who may see it, the read audited."""
    return s.RequestSerializer(req, context={"revealed": privacy.reveal(user, [req], via)}).data


# A step on one record from a POST action: `_run` gives the record (read again) and what the step returned, `_do`
# answers the record as the view set does (`_answer`). No docstring: the API schema would show it for the view sets.
class _Steps:

    def _answer(self, obj):
        return self.serializer_class(obj).data

    def _run(self, func, *args, **kwargs):
        obj = self.get_object()
        result = func(self.request.user, obj, *args, **kwargs)
        obj.refresh_from_db()
        return obj, result

    def _do(self, func, *args, **kwargs):
        return Response(self._answer(self._run(func, *args, **kwargs)[0]))


# What every lifecycle view set asks: LC_VIEW held somewhere; which records he sees is the view set's queryset (his
# scope). No docstring, as for `_Steps`.
class _InScope(viewsets.GenericViewSet):
    permission_classes = [HasKysoPermission]
    required_permission = LC_VIEW


class _Browse(mixins.ListModelMixin, mixins.RetrieveModelMixin, _InScope):
    pass


def _step(name: str, func, responses, url_path: str | None = None, doc: str | None = None):
    """A POST action `name` without a body: the step `func(user, record)`, answered by the view set's `_do`."""
    def view(self, request, pk=None):
        return self._do(func)

    view.__name__ = view.__qualname__ = name
    view.__doc__ = doc
    return extend_schema(request=None, responses=responses)(
        action(detail=True, methods=["post"], url_path=url_path)(view))


class RequestViewSet(_Steps, _Browse):
    serializer_class = s.RequestSerializer

    def get_serializer(self, *args, **kwargs):
        if args:
            items = args[0] if kwargs.get("many") else [args[0]]
            kwargs["context"] = {**self.get_serializer_context(),
                                 "revealed": privacy.reveal(self.request.user, items, via="api")}
        return super().get_serializer(*args, **kwargs)

    def get_queryset(self):
        qs = services.visible_requests(self.request.user).order_by("-id")
        if self.request.query_params.get("state"):
            qs = qs.filter(state=self.request.query_params["state"])
        return qs

    @extend_schema(request=s.FileRequestSerializer, responses={201: s.RequestSerializer})
    def create(self, request):
        d = dict(valid(s.FileRequestSerializer, request))
        person = unit = None
        if d.get("person"):
            person = Person.objects.filter(pk=d["person"]).first()
            if person is None or not scope.can(request.user, LC_VIEW, person.unit):
                raise NotFound("lifecycle.person.not_found", _("No such person."))
        if d.get("unit"):
            unit = _unit(d["unit"])
        files = {}
        for key in ("seal_registration", "title_confirmation"):
            f = d.pop(key, None)
            if f is not None:
                data = f.read()
                files[key] = store(data, name=f.name, media_type=checks.check_attachment(data, f.name, field=key),
                                   purpose=f"lifecycle.{key}")
        req = services.file_request(request.user, kind=d.pop("kind"), person=person, unit=unit, data=d, **files)
        return Response(_request_data(request.user, req), status=status.HTTP_201_CREATED)

    def _answer(self, req):
        return _request_data(self.request.user, req)

    confirm = _step("confirm", services.confirm_request, s.RequestSerializer)

    @extend_schema(request=s.ReviewSerializer, responses=s.RequestSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        data = valid(s.ReviewSerializer, request)
        return self._do(services.review, valid=data["valid"], guidance=data["guidance"])

    @extend_schema(request=s.Form01Serializer, responses=s.RequestSerializer)
    @action(detail=True, methods=["post"])
    def edit(self, request, pk=None):
        data = valid(s.Form01Serializer, request, partial=True)
        return self._do(services.edit_request, dict(data))

    resubmit = _step("resubmit", services.resubmit, s.RequestSerializer)

    @extend_schema(request=s.ReasonSerializer, responses=s.RequestSerializer)
    @action(detail=True, methods=["post"])
    def hold(self, request, pk=None):
        data = valid(s.ReasonSerializer, request)
        return self._do(services.hold, data["reason"])

    @extend_schema(request=s.OutcomeSerializer, responses=s.RequestSerializer)
    @action(detail=True, methods=["post"], url_path="ca-outcome")
    def ca_outcome(self, request, pk=None):
        data = valid(s.OutcomeSerializer, request)
        return self._do(services.ca_outcome, data["outcome"], data["reason"])

    notify_outcome = _step("notify_outcome", services.notify_unit_of_outcome, s.RequestSerializer,
                           url_path="notify-outcome")

    @extend_schema(request=None, responses=s.RequestSerializer)
    @action(detail=True, methods=["post"], url_path="supplement-done")
    def supplement_done(self, request, pk=None):
        return self._do(services.supplement_done, {k: v for k, v in request.data.items()
                                                   if k in services.FORM01_FIELDS})

    @extend_schema(request=s.HandoverSerializer, responses=s.RequestSerializer)
    @action(detail=True, methods=["post"], url_path="handover-unit")
    def handover_unit(self, request, pk=None):
        data = valid(s.HandoverSerializer, request)
        return self._do(services.handover_to_unit, by_post=data["by_post"])

    @extend_schema(request={"multipart/form-data": s.SignedRecordSerializer}, responses={201: s.RecordSerializer})
    @action(detail=True, methods=["post"], url_path="signed-record")
    def signed_record(self, request, pk=None):
        """Handover by confidential post: the signed Form 03 coming back (PDF)."""
        data = valid(s.SignedRecordSerializer, request)
        rec = services.attach_signed_record(request.user, self.get_object(), data["file"].read())
        return Response(s.RecordSerializer(rec).data, status=status.HTTP_201_CREATED)

    handover_subscriber = _step("handover_subscriber", services.handover_to_subscriber, s.RequestSerializer,
                                url_path="handover-subscriber")

    activate = _step("activate", services.activate, s.RequestSerializer)

    @extend_schema(responses=_PDF_OR_DOCX)
    @action(detail=True, methods=["get"], url_path=r"form01\.(?P<fmt>pdf|docx)")
    def form01(self, request, pk=None, fmt="pdf"):
        return _doc(privacy.form01_for(request.user, self.get_object(), via=f"api.form01.{fmt}"), fmt, "mau-01")

    @extend_schema(responses=_PDF_OR_DOCX)
    @action(detail=True, methods=["get"], url_path=r"form03\.(?P<fmt>pdf|docx)")
    def form03(self, request, pk=None, fmt="pdf"):
        """Form 03 "Cấp mới": the IT Center hands the certificate to the managing unit."""
        return _doc(documents.form03_for_request(self.get_object()), fmt, "mau-03")

    @extend_schema(responses=_PDF_OR_DOCX)
    @action(detail=True, methods=["get"], url_path=r"form04\.(?P<fmt>pdf|docx)")
    def form04(self, request, pk=None, fmt="pdf"):
        return _doc(documents.form04_for_request(self.get_object()), fmt, "mau-04")


class ListViewSet(_Steps, _Browse):
    serializer_class = s.ListSerializer

    def get_queryset(self):
        return services.visible_lists(self.request.user)

    @extend_schema(request=s.CompileSerializer, responses={201: s.ListSerializer})
    def create(self, request):
        d = valid(s.CompileSerializer, request)
        if d.get("approval"):
            lst = services.compile_approval_list(request.user, d.get("requests"))
        else:
            if not d.get("unit"):
                raise InvalidInput("lifecycle.list.unit", _("Name the compiling unit."),
                                   fields={"unit": ("required", _("This field is required."))})
            lst = services.compile_list(request.user, _unit(d["unit"]), d.get("requests"))
        return Response(s.ListSerializer(lst).data, status=status.HTTP_201_CREATED)


    send = _step("send", services.send_list, s.ListSerializer)

    receive = _step("receive", services.receive_list, s.ListSerializer)

    approve = _step("approve", services.approve_list, s.ListSerializer)

    @extend_schema(request=None, responses=s.SentToCaSerializer)
    @action(detail=True, methods=["post"], url_path="send-to-ca")
    def send_to_ca(self, request, pk=None):
        lst, issued = self._run(services.send_to_ca)
        return Response(s.SentToCaSerializer(lst, context={"issued": issued}).data)

    @extend_schema(responses={**_PDF_OR_DOCX, (200, XLSX_MEDIA_TYPE): bytes})
    @action(detail=True, methods=["get"], url_path=r"form02\.(?P<fmt>pdf|docx|xlsx)")
    def form02(self, request, pk=None, fmt="pdf"):
        lst = self.get_object()
        if fmt == "xlsx":
            return xlsx_response(privacy.form02_xlsx_for(request.user, lst, via="api.form02.xlsx"), "mau-02.xlsx")
        return _doc(privacy.form02_for(request.user, lst, via=f"api.form02.{fmt}"), fmt, "mau-02")

    @extend_schema(responses={(200, "application/zip"): bytes})
    @action(detail=True, methods=["get"])
    def export(self, request, pk=None):
        """External CA: Form 02 (XLSX, PDF) and the CSRs for the RA intake agency."""
        lst = self.get_object()
        scope.require(request.user, LC_REVIEW)
        privacy.reveal(request.user, lst.all_requests(), via="api.export")
        resp = HttpResponse(exchange.export_package(lst, exchange.csrs_of(lst)), content_type="application/zip")
        resp["Content-Disposition"] = f'attachment; filename="{lst.number.replace("/", "-")}.zip"'
        return resp

    @extend_schema(request={"multipart/form-data": s.ImportIssuedSerializer}, responses=s.CertificateSerializer(many=True))
    @action(detail=False, methods=["post"], url_path="import-issued")
    def import_issued(self, request):
        """External CA: the issued certificates come back and are matched to the requests."""
        data = valid(s.ImportIssuedSerializer, request)
        certs = services.import_issued(request.user, data["file"].read())
        return Response(s.CertificateSerializer(certs, many=True).data, status=status.HTTP_201_CREATED)


class CertificateViewSet(_Browse):
    serializer_class = s.CertificateSerializer

    def get_queryset(self):
        p = self.request.query_params
        return services.search_certificates(self.request.user, q=p.get("q", ""), status=p.get("status", ""),
                                            expiring=p.get("expiring", ""), unit=p.get("unit", "")).order_by("-id")

    def get_serializer_class(self):
        return s.CertificateDetailSerializer if self.action == "retrieve" else s.CertificateSerializer

    @extend_schema(request=None, responses=s.RequestSerializer)
    @action(detail=True, methods=["post"])
    def renew(self, request, pk=None):
        req = services.renewal(request.user, self.get_object())
        return Response(_request_data(request.user, req), status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=s.ExpirySerializer)
    @action(detail=False, methods=["get"])
    def expiry(self, request):
        """Counts: expired, and expiring within 30, 60 and 90 days (letter 26)."""
        return Response(s.ExpirySerializer(services.expiry_buckets(request.user)).data)

    @extend_schema(request=None, responses=s.CampaignSerializer)
    @action(detail=False, methods=["get"])
    def campaign(self, request):
        """The seal rule (letter 26): organisation certificates of units without a seal, units with a seal and no
        organisation certificate."""
        return Response(s.CampaignSerializer(services.seal_campaign(request.user)).data)

    @extend_schema(request={"multipart/form-data": s.ImportSerializer}, responses={202: s.JobSerializer})
    @action(detail=False, methods=["post"], url_path="import")
    def import_register(self, request):
        """Certificates issued before Kyso: a register and the certificate files; all rows or none. Answers 202 at
        once with the job (`url`, `page`) that imports them; its `result` is the report (every refused row)."""
        data = valid(s.ImportSerializer, request)
        reg = data["register"]
        uploads = [(f.name, f.read()) for f in request.FILES.getlist("files")]
        job = importing.start_import(request.user, reg.name, reg.read(), uploads)
        return Response(s.JobSerializer(job).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=s.BulkRevokeSerializer, responses={202: s.JobSerializer})
    @action(detail=False, methods=["post"], url_path="bulk-revoke")
    def bulk_revoke(self, request):
        """Revoke many certificates (e.g. a unit dissolved): answers 202 at once with the job (`url`, `page`);
        a worker does the work, never this request."""
        d = valid(s.BulkRevokeSerializer, request)
        job = bulk.start_revoke_many(request.user, d["certificates"], reason=d["reason"], detail=d["detail"],
                                     phone_notice=d["phone_notice"])
        return Response(s.JobSerializer(job).data, status=status.HTTP_202_ACCEPTED)


class RevocationViewSet(_Steps, _Browse):
    serializer_class = s.RevocationSerializer

    def get_queryset(self):
        return services.visible_revocations(self.request.user).order_by("-id")

    @extend_schema(request=s.RevocationCreateSerializer, responses={201: s.RevocationSerializer})
    def create(self, request):
        d = valid(s.RevocationCreateSerializer, request)
        cert = services.visible_certificates(request.user).filter(pk=d["certificate"]).first()
        if cert is None:
            raise NotFound("lifecycle.certificate.not_found", _("No such certificate."))
        rev = services.request_revocation(request.user, cert, reason=d["reason"], detail=d["detail"],
                                          phone_notice=d["phone_notice"])
        return Response(s.RevocationSerializer(rev).data, status=status.HTTP_201_CREATED)


    confirm = _step("confirm", services.confirm_revocation, s.RevocationSerializer)

    send_to_ca = _step("send_to_ca", services.send_revocation, s.RevocationSerializer, url_path="send-to-ca")

    ca_confirmed = _step("ca_confirmed", services.ca_confirmed_revocation, s.RevocationSerializer,
                         url_path="ca-confirmed", doc="External CA: its confirmation of the revocation arrived.")

    @extend_schema(responses=_PDF_OR_DOCX)
    @action(detail=True, methods=["get"], url_path=r"form05\.(?P<fmt>pdf|docx)")
    def form05(self, request, pk=None, fmt="pdf"):
        return _doc(privacy.form05_for(request.user, self.get_object(), via=f"api.form05.{fmt}"), fmt, "mau-05")

    notify_unit = _step("notify_unit", services.notify_unit_to_recover, s.RevocationSerializer, url_path="notify-unit")

    @extend_schema(request=s.ReturnDeviceSerializer, responses=s.RevocationSerializer)
    @action(detail=True, methods=["post"], url_path="return-device")
    def return_device(self, request, pk=None):
        data = valid(s.ReturnDeviceSerializer, request)
        return self._do(services.return_device, **data)


class DeviceViewSet(_Browse):
    """Key devices, searchable by serial, holder and unit (`q`, `unit`, `state`)."""

    serializer_class = s.DeviceSerializer

    def get_queryset(self):
        p = self.request.query_params
        return services.search_devices(self.request.user, q=p.get("q", ""), unit=p.get("unit", ""),
                                       state=p.get("state", "")).prefetch_related("events")

    @extend_schema(request=s.DeviceCreateSerializer, responses={201: s.DeviceSerializer})
    def create(self, request):
        d = valid(s.DeviceCreateSerializer, request)
        dev = services.register_device(request.user, serial=d["serial"], unit=_unit(d["unit"]), model=d["model"])
        return Response(s.DeviceSerializer(dev).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.DeviceChangeSerializer, responses=s.DeviceSerializer)
    @action(detail=True, methods=["post"])
    def change(self, request, pk=None):
        d = valid(s.DeviceChangeSerializer, request)
        kw = {}
        if d.get("holder"):
            holder = Subscriber.objects.filter(pk=d["holder"]).first()
            if holder is None or not scope.can(request.user, LC_DEVICE, holder.unit):
                raise NotFound("lifecycle.subscriber.not_found", _("No such subscriber."))
            kw["holder"] = holder
        dev = services.change_device(request.user, self.get_object(), d["state"], note=d["note"], **kw)
        return Response(s.DeviceSerializer(dev).data)


class JobViewSet(_Browse):
    """Bulk jobs and their progress (done/total)."""

    serializer_class = s.JobSerializer

    def get_queryset(self):
        return bulk.visible_jobs(self.request.user).select_related("unit").order_by("-id")


class RecordViewSet(_Browse):
    """The archive (Art. 9.4, 10.7): every form and notice produced, as filed; never deleted."""

    serializer_class = s.RecordSerializer

    def get_queryset(self):
        qs = services.visible_records(self.request.user).order_by("-id")
        p = self.request.query_params
        if p.get("subject_type") and p.get("subject_id", "").isdigit():
            qs = qs.filter(subject_type=p["subject_type"], subject_id=int(p["subject_id"]))
        return qs

    @extend_schema(responses={(200, "application/pdf"): bytes})
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        rec = self.get_object()
        if not privacy.record_readable(request.user, rec):
            raise NotFound("lifecycle.record.not_shown", _("This form holds personal data you may not see."))
        return file_response(rec.pdf)


class StepViewSet(mixins.ListModelMixin, _InScope):
    """The deadline register: open steps at the units in my scope, by due date (what waits for me personally
    is my queue, `/tasks/`)."""

    serializer_class = s.LifecycleStepSerializer

    def get_queryset(self):
        return services.open_deadlines(self.request.user).order_by("due_on", "id")
