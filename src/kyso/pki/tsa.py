"""Time-stamping authority (RFC 3161, with the ESSCertIDv2 of RFC 5816).

A request is checked (version, hash algorithm and length, policy, extensions) and
answered either with a granted TimeStampResp carrying a CMS SignedData over a TSTInfo,
or with a rejection whose failInfo says why (badAlg, badRequest, badDataFormat,
unacceptedPolicy, unacceptedExtension, systemFailure) — never an HTTP error.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os

from asn1crypto import algos, cms, core, tsp
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from django.db import IntegrityError, transaction
from django.utils import timezone

from .ca import get_ca, responder
from .models import TimestampRecord
from .profiles import TSA_POLICY_OID

log = logging.getLogger("kyso.pki")
MAX_REQUEST_BYTES = 16 * 1024
DIGEST_SIZES = {"sha256": 32, "sha384": 48, "sha512": 64, "sha1": 20}
ACCURACY_SECONDS = 1


class Rejection(Exception):
    def __init__(self, fail_info: str, text: str):
        super().__init__(text)
        self.fail_info = fail_info
        self.text = text


class TimeStampResp(core.Sequence):
    """RFC 3161 TimeStampResp with timeStampToken OPTIONAL (asn1crypto's declares it mandatory)."""

    _fields = [("status", tsp.PKIStatusInfo), ("time_stamp_token", cms.ContentInfo, {"optional": True})]


def _rejection(fail_info: str, text: str) -> bytes:
    return TimeStampResp({
        "status": tsp.PKIStatusInfo({
            "status": "rejection", "status_string": [text], "fail_info": tsp.PKIFailureInfo({fail_info}),
        }),
    }).dump()


def parse_request(data: bytes) -> tsp.TimeStampReq:
    if not data or len(data) > MAX_REQUEST_BYTES:
        raise Rejection("bad_data_format", "request empty or too large")
    try:
        req = tsp.TimeStampReq.load(data, strict=True)
        req.native  # force full parsing of untrusted DER
    except Exception:  # noqa: BLE001 - malformed DER
        raise Rejection("bad_data_format", "request is not a DER TimeStampReq") from None
    if req["version"].native != "v1":
        raise Rejection("bad_request", "unsupported request version")
    algo = req["message_imprint"]["hash_algorithm"]["algorithm"].native
    if algo not in DIGEST_SIZES:
        raise Rejection("bad_alg", f"unsupported hash algorithm {algo}")
    if len(req["message_imprint"]["hashed_message"].native) != DIGEST_SIZES[algo]:
        raise Rejection("bad_data_format", "hashed message length does not match its algorithm")
    policy = req["req_policy"].native
    if policy is not None and policy != TSA_POLICY_OID.dotted_string:
        raise Rejection("unaccepted_policy", f"policy {policy} is not offered")
    if req["extensions"].native:
        raise Rejection("unaccepted_extension", "no request extensions are supported")
    return req


def _signature_algorithm(public_key) -> algos.SignedDigestAlgorithm:
    if isinstance(public_key, rsa.RSAPublicKey):
        return algos.SignedDigestAlgorithm({"algorithm": "sha256_rsa"})
    if isinstance(public_key, ec.EllipticCurvePublicKey):
        return algos.SignedDigestAlgorithm({"algorithm": "sha256_ecdsa"})
    raise Rejection("system_failure", "unsupported TSA key")


def stamp(data: bytes) -> bytes:
    """Answer one DER TimeStampReq with a DER TimeStampResp."""
    try:
        req = parse_request(data)
        return _grant(req)
    except Rejection as rej:
        return _rejection(rej.fail_info, rej.text)
    except Exception:  # noqa: BLE001 - report, never a 500
        log.exception("TSA failure")
        return _rejection("system_failure", "the time-stamping unit failed; try again later")


def _grant(req: tsp.TimeStampReq) -> bytes:
    tsa_cert_row, key = responder(get_ca(), "tsa")
    tsa_cert = asn1_x509.Certificate.load(bytes(tsa_cert_row.der))
    gen_time = timezone.now().astimezone(dt.timezone.utc).replace(microsecond=0)
    serial = int.from_bytes(os.urandom(16), "big") >> 1
    tst_info = {
        "version": "v1",
        "policy": TSA_POLICY_OID.dotted_string,
        "message_imprint": req["message_imprint"],
        "serial_number": serial,
        "gen_time": gen_time,
        "accuracy": {"seconds": ACCURACY_SECONDS},
        "ordering": False,
        "tsa": asn1_x509.GeneralName(name="directory_name", value=tsa_cert.subject),
    }
    if req["nonce"].native is not None:
        tst_info["nonce"] = req["nonce"].native
    tst_der = tsp.TSTInfo(tst_info).dump()
    cert_hash = hashlib.sha256(tsa_cert.dump()).digest()
    signed_attrs = cms.CMSAttributes([
        cms.CMSAttribute({"type": "content_type", "values": ["tst_info"]}),
        cms.CMSAttribute({"type": "message_digest", "values": [hashlib.sha256(tst_der).digest()]}),
        cms.CMSAttribute({"type": "signing_certificate_v2", "values": [tsp.SigningCertificateV2({
            "certs": [tsp.ESSCertIDv2({
                "hash_algorithm": algos.DigestAlgorithm({"algorithm": "sha256"}),
                "cert_hash": cert_hash,
                "issuer_serial": {"issuer": [asn1_x509.GeneralName(name="directory_name", value=tsa_cert.issuer)],
                                  "serial_number": tsa_cert.serial_number},
            })],
        })]}),
    ])
    signature = key.sign(signed_attrs.dump(), "sha256")
    signer_info = cms.SignerInfo({
        "version": "v1",
        "sid": cms.SignerIdentifier({"issuer_and_serial_number": cms.IssuerAndSerialNumber({
            "issuer": tsa_cert.issuer, "serial_number": tsa_cert.serial_number})}),
        "digest_algorithm": algos.DigestAlgorithm({"algorithm": "sha256"}),
        "signed_attrs": signed_attrs,
        "signature_algorithm": _signature_algorithm(key.public_key()),
        "signature": signature,
    })
    content = {
        "version": "v3",
        "digest_algorithms": [algos.DigestAlgorithm({"algorithm": "sha256"})],
        "encap_content_info": {"content_type": "tst_info", "content": core.ParsableOctetString(tst_der)},
        "signer_infos": [signer_info],
    }
    if req["cert_req"].native:
        content["certificates"] = [tsa_cert]
    signed_data = cms.SignedData(content)
    token = cms.ContentInfo({"content_type": "signed_data", "content": signed_data})
    _log(serial, gen_time, req)
    return tsp.TimeStampResp({"status": {"status": "granted"}, "time_stamp_token": token}).dump()


def _log(serial: int, gen_time: dt.datetime, req) -> None:
    try:
        with transaction.atomic():
            TimestampRecord.objects.create(
                serial=format(serial, "x"), gen_time=gen_time,
                hash_algorithm=req["message_imprint"]["hash_algorithm"]["algorithm"].native,
                message_imprint=req["message_imprint"]["hashed_message"].native.hex(),
                policy=TSA_POLICY_OID.dotted_string)
    except IntegrityError:  # pragma: no cover - 127 random bits
        raise Rejection("system_failure", "serial collision; retry") from None


def tsa_certificate_pem() -> bytes:
    row, _key = responder(get_ca(), "tsa")
    return row.certificate.public_bytes(serialization.Encoding.PEM)
