"""`POST /api/v1/verify`: multipart upload → the validation report as JSON (or PDF with ?as=pdf, the ETSI
TS 119 102-2 XML validation report with ?as=etsi).

Public like the web page: verifying a signature needs no account."""

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from kyso.core.errors import InvalidInput

from ..etsireport import etsi_report
from ..pdf import Appearance
from ..reporting import report_pdf
from ..service import Pending, sign_for
from ..verify import MAX_BYTES, verify_bytes
from .serializers import DocumentReportSerializer, SignPendingSerializer, SignRequestSerializer, VerifyRequestSerializer


class VerifyView(APIView):
    permission_classes = [AllowAny]
    parser_classes = [MultiPartParser]

    @extend_schema(request={"multipart/form-data": VerifyRequestSerializer},
                   parameters=[OpenApiParameter("as", str, enum=["json", "pdf", "etsi"], required=False)],
                   responses={(200, "application/json"): DocumentReportSerializer,
                              (200, "application/pdf"): bytes,      # ?as=pdf: the report as a PDF
                              (200, "application/xml"): bytes},     # ?as=etsi: the ETSI TS 119 102-2 report
                   operation_id="verify_document", tags=["signing"])
    def post(self, request):
        upload = request.FILES.get("file")
        if upload is None:
            raise InvalidInput("signing.input.missing", _("Attach the signed file in the field \"file\"."),
                               fields={"file": ("required", _("This field is required."))})
        if upload.size > MAX_BYTES:
            raise InvalidInput("signing.input.too_large", _("The file is larger than the allowed %(mb)s MB."),
                               mb=MAX_BYTES // (1024 * 1024))
        data = upload.read()
        report = verify_bytes(data, filename=upload.name, doc_type=request.data.get("doc_type") or None,
                              expected_title=request.data.get("expected_title", ""),
                              caption=request.data.get("caption", ""),
                              main_document=(request.data.get("main_document") or "")[:100])
        if request.query_params.get("as") == "pdf":
            response = HttpResponse(report_pdf(report), content_type="application/pdf")
            response["Content-Disposition"] = 'attachment; filename="verification-report.pdf"'
            return response
        if request.query_params.get("as") == "etsi":
            response = HttpResponse(etsi_report(report, data), content_type="application/xml")
            response["Content-Disposition"] = 'attachment; filename="validation-report-etsi.xml"'
            return response
        return Response(report.to_dict())


class SignView(APIView):
    """`POST /api/v1/sign`: sign a PDF or an XML file with your own device certificate (serial + PIN) or,
    as a clerk, with your unit's seal certificate (`seal=true`)."""

    parser_classes = [MultiPartParser]

    @extend_schema(request={"multipart/form-data": SignRequestSerializer},
                   responses={(200, "application/pdf"): bytes, (200, "application/xml"): bytes,   # signed PDF / XML
                              (202, "application/json"): SignPendingSerializer},     # confirm=phone
                   operation_id="sign_document", tags=["signing"])
    def post(self, request):
        ser = SignRequestSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        upload = d["file"]
        if upload.size > MAX_BYTES:
            raise InvalidInput("signing.input.too_large", _("The file is larger than the allowed %(mb)s MB."),
                               mb=MAX_BYTES // (1024 * 1024))
        appearance = None
        if d.get("appearance"):
            image = d["image"].read() if d.get("image") else None
            appearance = Appearance(kind=d["appearance"], caption=d.get("caption", ""), on_behalf_of=d.get("on_behalf_of", ""),
                                    title=d.get("title", ""),
                                    name=d.get("name", ""), organization=d.get("organization", ""),
                                    document_number=d.get("document_number", ""),
                                    signature_image=image if d["appearance"] == "leader" else None,
                                    seal_image=image if d["appearance"] == "organization" else None)
        out = sign_for(request.user, upload.read(), certificate=d.get("certificate", ""), pin=d.get("pin", ""),
                       seal=d.get("seal", False), level=d.get("level", ""), appearance=appearance,
                       sad=d.get("sad", ""), confirm=d.get("confirm", ""))
        if isinstance(out, Pending):
            pending = {"state": "pending", "request": out.request_id, "poll": out.poll_url}
            return Response(SignPendingSerializer(pending).data, status=status.HTTP_202_ACCEPTED)
        is_pdf = out[:5] == b"%PDF-"
        response = HttpResponse(out, content_type="application/pdf" if is_pdf else "application/xml")
        response["Content-Disposition"] = f'attachment; filename="signed-{upload.name}"'
        return response
