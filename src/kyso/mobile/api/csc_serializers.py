"""The CSC API's shapes (issue 18, item 6: DRF serializers for every endpoint): each request body and each answer
of /csc/v1/ and /csc/v2/, with the spec's field names, so that the OpenAPI document says what a CSC client sends
and reads instead of "an object". One path serves both versions; where they differ (credentials/authorize and
signatures/signHash bodies, the credentials/info answer) the document offers the v1 and the v2 shape (oneOf).

Answers: the views build the dictionary they always built and pass it through its serializer, which keeps that
dictionary's key order and leaves out what it lacks (optional fields are `required=False`): what a client
receives is unchanged, byte for byte.

Bodies: these input serializers document, they do not validate. The views keep their own checks, whose refusals
carry the CSC error form and the stable codes clients and tests rely on (`mobile.authorize.count`,
`mobile.authorize.auth_data`, …); a serializer's refusal would answer other codes and messages, and pyHanko's
client sends fields a strict serializer would question."""

from __future__ import annotations

from drf_spectacular.utils import PolymorphicProxySerializer
from rest_framework import serializers

ASYNC = "v2: A signs asynchronously (answer 202 with a responseID to poll with signatures/signPolling); S or absent "


class CscAnswer(serializers.Serializer):
    # An answer built as a dictionary: its keys in the dictionary's order, the absent optional ones left out.
    # (A comment, not a docstring: the OpenAPI document would give it as every answer's description.)

    def to_representation(self, instance):
        out = super().to_representation(instance)
        return {key: out[key] for key in instance if key in out}


def _strings(**kw):
    return serializers.ListField(child=serializers.CharField(), **kw)


# --- Request bodies (documentation only: see the module docstring)

class CscInfoInput(serializers.Serializer):
    lang = serializers.CharField(required=False, help_text="accepted; Kyso answers in vi-VN")


class CscLoginInput(serializers.Serializer):
    """The login and password come in the `Authorization: Basic` header; the body is accepted and not read."""

    rememberMe = serializers.BooleanField(required=False)
    clientData = serializers.CharField(required=False)


class CscRevokeInput(serializers.Serializer):
    token = serializers.CharField(required=False, help_text="the token to revoke; absent: the caller's own")
    token_type_hint = serializers.CharField(required=False)
    clientData = serializers.CharField(required=False)


class CscCertificatesInput(serializers.Serializer):
    certificates = serializers.ChoiceField(["none", "single", "chain"], required=False, default="single")
    certInfo = serializers.BooleanField(required=False, default=False,
                                        help_text="add issuerDN, serialNumber, subjectDN, validFrom and validTo")


class CscListInput(CscCertificatesInput):
    credentialInfo = serializers.BooleanField(required=False, default=False,
                                              help_text="v2: add each credential's credentials/info answer")
    clientData = serializers.CharField(required=False)


class CscCredentialInput(serializers.Serializer):
    credentialID = serializers.CharField()
    clientData = serializers.CharField(required=False)


class CscCredentialInfoInput(CscCredentialInput, CscCertificatesInput):
    lang = serializers.CharField(required=False)


class CscHashV1Input(serializers.Serializer):
    hash = _strings(help_text="v1: the base64 digests")


class CscHashesV2Input(serializers.Serializer):
    hashes = _strings(help_text="v2: the base64 digests")
    hashAlgorithmOID = serializers.CharField(required=False, default="2.16.840.1.101.3.4.2.1")


class CscAuthorizeInput(CscCredentialInput):
    numSignatures = serializers.IntegerField(required=False, help_text="the number of hashes")
    description = serializers.CharField(required=False)


class CscAuthorizeV1Input(CscAuthorizeInput, CscHashV1Input):
    PIN = serializers.CharField()
    OTP = serializers.CharField(help_text="the code credentials/sendOTP sent by SMS")


class CscAuthDataInput(serializers.Serializer):
    id = serializers.CharField(help_text="PIN or OTP")
    value = serializers.CharField()


class CscAuthorizeV2Input(CscAuthorizeInput, CscHashesV2Input):
    authData = CscAuthDataInput(many=True, help_text="the PIN and the code credentials/sendOTP sent by SMS")


class CscSignInput(CscCredentialInput):
    SAD = serializers.CharField(required=False, help_text="from credentials/authorize; required unless "
                                                          "operationMode is A")


class CscAsyncInput(serializers.Serializer):
    operationMode = serializers.CharField(required=False, default="S", help_text=ASYNC + "signs now")
    description = serializers.CharField(required=False, help_text="v2: what the holder reads on his phone")


class CscSignHashV1Input(CscSignInput, CscHashV1Input):
    hashAlgo = serializers.CharField(required=False)
    signAlgo = serializers.CharField(required=False)


class CscSignHashV2Input(CscSignInput, CscHashesV2Input, CscAsyncInput):
    signAlgo = serializers.CharField(required=False)


class CscDocumentInput(serializers.Serializer):
    document = serializers.CharField(help_text="the document, base64")
    signature_format = serializers.CharField(required=False, help_text="P (PAdES) or X (XAdES)")
    conformance_level = serializers.CharField(required=False)


class CscSignDocInput(CscSignInput, CscAsyncInput):
    documents = CscDocumentInput(many=True, help_text="one document when operationMode is A")
    documentName = serializers.CharField(required=False, help_text="Kyso: the name the holder sees (mode A)")


class CscPollingInput(serializers.Serializer):
    responseID = serializers.CharField(help_text="from a 202 answer of signHash or signDoc")


# --- Answers

class CscErrorSerializer(CscAnswer):
    error = serializers.CharField()
    error_description = serializers.CharField()
    error_code = serializers.CharField(required=False, help_text="Kyso's stable code")


class CscSignAlgorithmsSerializer(CscAnswer):
    algos = _strings()


class CscInfoSerializer(CscAnswer):
    specs = serializers.CharField(help_text="1.0.4.0 (v1) or 2.0.0.2 (v2)")
    name = serializers.CharField()
    logo = serializers.CharField()
    region = serializers.CharField()
    lang = serializers.CharField()
    description = serializers.CharField()
    authType = _strings()
    methods = _strings()
    signAlgorithms = CscSignAlgorithmsSerializer(required=False, help_text="v2 only")


class CscLoginSerializer(CscAnswer):
    access_token = serializers.CharField()
    expires_in = serializers.IntegerField(help_text="seconds")


class CscKeySerializer(CscAnswer):
    status = serializers.CharField(help_text="enabled or disabled")
    algo = _strings()
    len = serializers.IntegerField()
    curve = serializers.CharField(required=False, help_text="EC keys only")


class CscCertSerializer(CscAnswer):
    status = serializers.CharField(help_text="valid, revoked or suspended")
    certificates = _strings(required=False, help_text="base64 DER; unless certificates is none")
    issuerDN = serializers.CharField(required=False, help_text="this and the next four: when certInfo is true")
    serialNumber = serializers.CharField(required=False)
    subjectDN = serializers.CharField(required=False)
    validFrom = serializers.CharField(required=False)
    validTo = serializers.CharField(required=False)


class CscCredentialInfoSerializer(CscAnswer):
    description = serializers.CharField()
    key = CscKeySerializer()
    cert = CscCertSerializer()
    multisign = serializers.IntegerField()
    SCAL = serializers.CharField()
    lang = serializers.CharField()


class CscPinV1Serializer(CscAnswer):
    presence = serializers.CharField()
    format = serializers.CharField()
    label = serializers.CharField()
    description = serializers.CharField()


class CscOtpV1Serializer(CscPinV1Serializer):
    type = serializers.CharField()
    ID = serializers.CharField()
    provider = serializers.CharField()


class CscCredentialInfoV1Serializer(CscCredentialInfoSerializer):
    authMode = serializers.CharField()
    PIN = CscPinV1Serializer()
    OTP = CscOtpV1Serializer()


class CscAuthObjectSerializer(CscAnswer):
    type = serializers.CharField()
    id = serializers.CharField()
    format = serializers.CharField()
    generator = serializers.CharField(required=False)
    label = serializers.CharField()
    description = serializers.CharField()


class CscAuthSerializer(CscAnswer):
    mode = serializers.CharField()
    expression = serializers.CharField()
    objects = CscAuthObjectSerializer(many=True)


class CscCredentialInfoV2Serializer(CscCredentialInfoSerializer):
    auth = CscAuthSerializer()


class CscListedCredentialSerializer(CscCredentialInfoV2Serializer):
    credentialID = serializers.CharField()


class CscListSerializer(CscAnswer):
    credentialIDs = _strings()
    credentialInfos = CscListedCredentialSerializer(many=True, required=False, help_text="v2, when credentialInfo")


class CscAuthorizeSerializer(CscAnswer):
    SAD = serializers.CharField()
    expiresIn = serializers.IntegerField(help_text="seconds")


class CscSignaturesSerializer(CscAnswer):
    signatures = _strings(help_text="base64, in the order of the hashes")


class CscResponseIdSerializer(CscAnswer):
    responseID = serializers.CharField(help_text="for signatures/signPolling")


class CscSignedDocumentsSerializer(CscAnswer):
    DocumentWithSignature = _strings(help_text="the signed documents, base64")


class CscSignDocSerializer(CscSignedDocumentsSerializer):
    SignatureObject = _strings()


class CscPendingSerializer(CscAnswer):
    status = serializers.CharField(help_text="pending")
    expiresAt = serializers.CharField(help_text="ISO 8601")


# --- Where v1 and v2 (or a hash and a document) differ on one path: both shapes, oneOf.

def _either(name: str, *shapes):
    return PolymorphicProxySerializer(component_name=name, serializers=list(shapes), resource_type_field_name=None)


AUTHORIZE_INPUT = _either("CscAuthorizeV1OrV2", CscAuthorizeV1Input, CscAuthorizeV2Input)
SIGN_HASH_INPUT = _either("CscSignHashV1OrV2", CscSignHashV1Input, CscSignHashV2Input)
CREDENTIAL_INFO = _either("CscCredentialInfoV1OrV2", CscCredentialInfoV1Serializer, CscCredentialInfoV2Serializer)
POLLED = _either("CscSignaturesOrDocuments", CscSignaturesSerializer, CscSignedDocumentsSerializer)
