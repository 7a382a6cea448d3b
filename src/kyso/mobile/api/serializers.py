"""The mobile API's shapes: a signing credential as its holder or an IT officer reads it (the phone number in
full only where `administration.phones_shown` allows), a signature request, and the bodies of enrolment, PIN
change and a new request. The bodies check types only; what the values mean (a known channel, a phone number, a
digest) stays with the domain, whose refusals carry their own codes."""

from __future__ import annotations

from rest_framework import serializers

from .. import administration
from ..models import Credential, SignatureRequest


class CredentialSerializer(serializers.ModelSerializer):
    """`context["shown"]`: the primary keys of the credentials whose phone number the reader sees in full."""

    holder = serializers.CharField(source="holder.username", read_only=True)
    msisdn = serializers.SerializerMethodField()
    pin_locked = serializers.BooleanField(read_only=True)
    failed_pins = serializers.IntegerField(read_only=True)
    certificate_serial = serializers.CharField(source="certificate.serial", read_only=True)
    valid_until = serializers.DateTimeField(source="certificate.not_after", read_only=True)

    class Meta:
        model = Credential
        fields = ["credential_id", "holder", "channel", "msisdn", "enabled", "pin_locked", "failed_pins",
                  "certificate_serial", "valid_until", "multisign", "created_at"]

    def get_msisdn(self, cred) -> str:
        return cred.msisdn if cred.pk in self.context.get("shown", ()) else administration.masked(cred.msisdn)


class SignatureRequestSerializer(serializers.ModelSerializer):
    id = serializers.CharField(read_only=True)
    signatures = serializers.SerializerMethodField()
    signed_document = serializers.SerializerMethodField(help_text="where to fetch the signed document, once signed")

    class Meta:
        model = SignatureRequest
        fields = ["id", "state", "channel", "display_text", "created_at", "expires_at", "error_code",
                  "error_message", "signatures", "signed_document"]

    def get_signatures(self, req) -> list[str]:
        return req.signatures if req.state == "signed" else []

    def get_signed_document(self, req) -> str | None:
        if req.state == "signed" and req.signed_document_id:
            return f"/api/v1/mobile/requests/{req.pk}/document/"
        return None


class EnrolInput(serializers.Serializer):
    holder = serializers.CharField(help_text="the holder's login")
    channel = serializers.CharField(help_text="app or sim")
    msisdn = serializers.CharField(required=False, allow_blank=True, default="",
                                   help_text="the holder's phone number (SIM PKI)")


class PinChangeInput(serializers.Serializer):
    old_pin = serializers.CharField(trim_whitespace=False)
    new_pin = serializers.CharField(trim_whitespace=False)


class RequestInput(serializers.Serializer):
    signer = serializers.CharField(help_text="the holder's login")
    hashes = serializers.ListField(child=serializers.CharField(), help_text="base64 digests")
    hash_algo = serializers.CharField(required=False, default="sha256", help_text="sha256, sha384 or sha512")
    display_text = serializers.CharField(required=False, allow_blank=True, default="",
                                         help_text="what the holder reads on his phone")
    channel = serializers.CharField(required=False, default="auto", help_text="auto, app or sim")
    client_ref = serializers.CharField(required=False, allow_blank=True, default="")
