from rest_framework import serializers

from ..models import CertificateAuthority, IssuedCertificate
from ..profiles import SUBSCRIBER_PROFILES
from ..revocation import REASONS


class CertificateAuthoritySerializer(serializers.ModelSerializer):
    common_name = serializers.CharField(read_only=True)
    pem = serializers.SerializerMethodField()
    not_after = serializers.SerializerMethodField()

    class Meta:
        model = CertificateAuthority
        fields = ["name", "common_name", "key_store", "not_after", "pem"]

    def get_pem(self, obj) -> str:
        return obj.pem.decode()

    def get_not_after(self, obj) -> str:
        return obj.certificate.not_valid_after_utc.isoformat()


class IssuedCertificateSerializer(serializers.ModelSerializer):
    ca = serializers.SlugRelatedField(slug_field="name", read_only=True)
    pem = serializers.SerializerMethodField()

    class Meta:
        model = IssuedCertificate
        fields = ["serial", "ca", "profile", "subject_dn", "common_name", "email", "not_before", "not_after", "status",
                  "revoked_at", "revocation_reason", "key_location", "fingerprint", "pem"]

    def get_pem(self, obj) -> str:
        return obj.pem.decode()


class IssueSerializer(serializers.Serializer):
    csr = serializers.CharField(help_text="PKCS#10 request in PEM")
    profile = serializers.ChoiceField(choices=SUBSCRIBER_PROFILES)
    days = serializers.IntegerField(min_value=1)
    request = serializers.IntegerField(required=False, allow_null=True, min_value=1,
                                       help_text="the approved issuance request (Form 01) sent to the CA: required "
                                                 "for a person or organization certificate, whose subject it names")


class RevokeSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=list(REASONS), default="unspecified")
    invalidity_date = serializers.DateTimeField(required=False)
