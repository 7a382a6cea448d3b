"""CA API: the CAs, certificates issued (filtered), issuance from a CSR, revocation."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from django.utils.translation import gettext_lazy as _

from kyso.accounts import scope
from kyso.core.api.permissions import HasKysoPermission
from kyso.core.errors import InvalidInput

from .. import issuance, pins, revocation
from ..models import CertificateAuthority, IssuedCertificate
from ..permissions import PKI_ISSUE, PKI_REVOKE, PKI_UNLOCK_PIN, PKI_VIEW
from .serializers import CertificateAuthoritySerializer, IssuedCertificateSerializer, IssueSerializer, RevokeSerializer


class CertificateAuthorityViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = CertificateAuthoritySerializer
    queryset = CertificateAuthority.objects.all()
    lookup_field = "name"
    permission_classes = [HasKysoPermission]
    required_permission = PKI_VIEW


class IssuedCertificateViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = IssuedCertificateSerializer
    lookup_field = "serial"
    permission_classes = [HasKysoPermission]
    required_permission = {"list": PKI_VIEW, "retrieve": PKI_VIEW, "create": PKI_ISSUE, "revoke": PKI_REVOKE,
                           "suspend": PKI_REVOKE, "release": PKI_REVOKE, "unlock_pin": PKI_UNLOCK_PIN,
                           "default": PKI_VIEW}

    def get_queryset(self):
        qs = IssuedCertificate.objects.select_related("ca")
        p = self.request.query_params
        if p.get("status"):
            qs = qs.filter(status=p["status"])
        if p.get("profile"):
            qs = qs.filter(profile=p["profile"])
        if p.get("q"):
            qs = qs.filter(common_name__icontains=p["q"]) | qs.filter(email__icontains=p["q"])
        return qs

    def get_object(self):
        return revocation.find(self.kwargs["serial"])

    @extend_schema(request=IssueSerializer, responses={201: IssuedCertificateSerializer})
    def create(self, request):
        ser = IssueSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        data = ser.validated_data
        cert = issuance.issue_from_csr(data["csr"], data["profile"], data["days"], actor=request.user,
                                       request=data.get("request"))   # a step checked at the agency's root (issue 16)
        return Response(IssuedCertificateSerializer(cert).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=RevokeSerializer, responses=IssuedCertificateSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request, serial=None):
        ser = RevokeSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        cert = revocation.revoke(serial, ser.validated_data["reason"], invalidity_date=ser.validated_data.get("invalidity_date"),
                                  actor=request.user)
        return Response(IssuedCertificateSerializer(cert).data)

    @extend_schema(request=None, responses=IssuedCertificateSerializer)
    @action(detail=True, methods=["post"])
    def suspend(self, request, serial=None):
        return Response(IssuedCertificateSerializer(revocation.suspend(serial, actor=request.user)).data)

    @extend_schema(request=None, responses=IssuedCertificateSerializer)
    @action(detail=True, methods=["post"])
    def release(self, request, serial=None):
        return Response(IssuedCertificateSerializer(revocation.release(serial, actor=request.user)).data)

    @extend_schema(request=None, responses=IssuedCertificateSerializer)
    @action(detail=True, methods=["post"], url_path="unlock-pin")
    def unlock_pin(self, request, serial=None):
        """The IT Center unlocks the token of this certificate's key after too many wrong PINs (audited)."""
        cert = self.get_object()
        token = dict(p.split("=", 1) for p in cert.key_location.removeprefix("pkcs11:").split(";") if "=" in p
                     ).get("token") if cert.key_location.startswith("pkcs11:") else None
        if not token:
            raise InvalidInput("pki.pin.no_token", _("The key of this certificate is not on a token."))
        # the CA's tokens: agency-wide (issue 16); never the holder's own
        pins.reset(token, actor=request.user, unit=scope.agency_root(), holder=revocation.holder_of(cert))
        return Response(IssuedCertificateSerializer(cert).data)
