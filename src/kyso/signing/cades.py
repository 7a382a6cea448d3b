"""CAdES for any file (ETSI EN 319 122-1), detached: B-B (signing-certificate-v2, signing time, content type,
message digest), B-T (signature time-stamp from our TSA), B-LT (every certificate up to the root and a CRL or
OCSP response for the signer, each CA and the TSA in SignedData.certificates / SignedData.crls — OCSP as
id-ri-ocsp-response, RFC 5940), B-LTA (archive-time-stamp-v3 with its ats-hash-index-v3, § 5.5.3);
`extend` renews an archive (fresh validation data, a new archive-time-stamp-v3).

Only unsigned fields are added after signing, so `openssl cms -verify` keeps accepting the signature."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import re
from collections.abc import Sequence

from asn1crypto import algos, cms, core, tsp
from cryptography import x509
from django.utils.translation import gettext_lazy as _
from pyhanko.sign.ades.asn1_util import register_cms_attribute

from kyso.core.errors import InvalidInput

from .keys import KeyHandleSigner
from .material import (ARCHIVE_TIME_STAMP_V3, SIGNATURE_TIME_STAMP, Material, cms_certificates, cms_signer, gather,
                       timestamp_tokens)
from .timestamps import KysoTimeStamper, token_for

LEVELS = ("B-B", "B-T", "B-LT", "B-LTA")
LONG_TERM = ("B-LT", "B-LTA")
ATS_HASH_INDEX_V3 = "0.4.0.19122.1.5"
OCSP_RESPONSE_FORMAT = "1.3.6.1.5.5.7.16.2"
HASH = "sha256"
_PEM = re.compile(rb"-----BEGIN (?:PKCS7|CMS)-----(.*?)-----END (?:PKCS7|CMS)-----", re.S)


class _Hashes(core.SequenceOf):
    _child_spec = core.OctetString


class _Items(core.SequenceOf):
    _child_spec = core.Any


def encode_hash_index(name: str, index: dict[str, list[bytes]]) -> bytes:
    """ATSHashIndexV3 ::= SEQUENCE { hashIndAlgorithm AlgorithmIdentifier DEFAULT {id-sha256}, certificatesHashIndex,
    crlsHashIndex, unsignedAttrValuesHashIndex (each SEQUENCE OF OCTET STRING) } — the default left out (DER)."""
    lists = [_Hashes(index[k]) for k in ("certificates_hash_index", "crls_hash_index",
                                          "unsigned_attr_values_hash_index")]
    head = [] if name == "sha256" else [algos.DigestAlgorithm({"algorithm": name})]
    return _Items([core.Any.load(x.dump()) for x in [*head, *lists]]).dump()


def decode_hash_index(der: bytes) -> tuple[str, dict[str, list[bytes]]]:
    """Both elements may start with a SEQUENCE tag: tell them apart by their count."""
    items = list(_Items.load(der))
    name = "sha256"
    if len(items) == 4:
        name = algos.DigestAlgorithm.load(items.pop(0).dump())["algorithm"].native
    if len(items) != 3:
        raise ValueError("malformed ats-hash-index-v3")
    keys = ("certificates_hash_index", "crls_hash_index", "unsigned_attr_values_hash_index")
    return name, {k: [h.native for h in _Hashes.load(item.dump())] for k, item in zip(keys, items)}


# asn1crypto knows neither attribute: without these, a CAdES B-LTA cannot even be parsed
register_cms_attribute(ARCHIVE_TIME_STAMP_V3, "archive_time_stamp_v3", cms.ContentInfo)
register_cms_attribute(ATS_HASH_INDEX_V3, "ats_hash_index_v3", core.Any)


def _content_info(der: bytes) -> cms.ContentInfo:
    """The ContentInfo of a CMS file; of an RFC 3161 time-stamp response (.tsr), the token it carries."""
    try:
        info = cms.ContentInfo.load(der, strict=True)
        info["content_type"].native  # noqa: B018 - parsed lazily: a response's first field is no OID
        return info
    except ValueError:
        response = tsp.TimeStampResp.load(der, strict=True)
        if response["time_stamp_token"].native is None:
            raise
        return response["time_stamp_token"]


def load(data: bytes) -> cms.ContentInfo:
    m = _PEM.search(data)
    der = base64.b64decode(b"".join(m.group(1).split())) if m else data
    try:
        info = _content_info(der)
        kind = info["content_type"].native
    except Exception as exc:  # noqa: BLE001 - any parse failure is the same error for the user
        raise InvalidInput("signing.input.cms_malformed", _("The CMS signature is malformed and cannot be read."),
                           detail=str(exc)[:200]) from exc
    if kind != "signed_data":
        # openssl cms -encrypt, an authenticated or digested message: well-formed, and no signature
        raise InvalidInput("signing.input.cms_not_signed", _("The CMS file holds no signature: its content is "
                                                             "encrypted or of another kind."), detail=str(kind)[:40])
    try:
        info["content"].native  # noqa: B018 - parse everything now
        return info
    except Exception as exc:  # noqa: BLE001 - any parse failure is the same error for the user
        raise InvalidInput("signing.input.cms_malformed", _("The CMS signature is malformed and cannot be read."),
                           detail=str(exc)[:200]) from exc


def sign_cms(data: bytes, key, cert: x509.Certificate, *, chain: Sequence[x509.Certificate] = (),
             level: str = "B-T") -> bytes:
    """A detached CAdES signature of `data` (DER) at `level`."""
    if level not in LEVELS:
        raise InvalidInput("signing.level.unsupported", _("Unsupported signature level %(level)s for CMS."),
                           level=level)
    signer = KeyHandleSigner(key, cert, chain)
    timestamper = KysoTimeStamper() if level != "B-B" else None
    info = asyncio.run(signer.async_sign_general_data(data, HASH, detached=True, use_cades=True,
                                                      timestamper=timestamper))
    if level in LONG_TERM:
        add_validation_data(info, refuse_revoked=True)
    if level == "B-LTA":
        add_archive_timestamp(info, data)
    return info.dump(force=False)


# --- B-LT


def _material(signed_data: cms.SignedData, *, refuse_revoked: bool) -> Material:
    info = signed_data["signer_infos"][0]
    ends, known = [cms_signer(signed_data, info)], cms_certificates(signed_data)
    for token in timestamp_tokens(info):
        ends.append(cms_signer(token["content"]))
        known += cms_certificates(token["content"])
    return gather(ends, known=known, refuse_revoked=refuse_revoked)


def _revocation_choices(material: Material) -> list[cms.RevocationInfoChoice]:
    out = [cms.RevocationInfoChoice(name="crl", value=crl) for crl in material.asn1_crls()]
    out += [cms.RevocationInfoChoice(name="other", value=cms.OtherRevocationInfoFormat({
        "other_rev_info_format": OCSP_RESPONSE_FORMAT, "other_rev_info": resp})) for resp in material.asn1_ocsps()]
    return out


def add_validation_data(info: cms.ContentInfo, *, refuse_revoked: bool) -> None:
    """Certificates and revocation data (beyond what is there) into SignedData.certificates and .crls."""
    signed_data = info["content"]
    material = _material(signed_data, refuse_revoked=refuse_revoked)
    certs = list(signed_data["certificates"] or [])
    have = {c.dump() for c in certs}
    certs += [cms.CertificateChoices(name="certificate", value=c) for c in material.asn1_certs()
              if cms.CertificateChoices(name="certificate", value=c).dump() not in have]
    crls = list(signed_data["crls"] or [])
    have = {c.dump() for c in crls}
    crls += [c for c in _revocation_choices(material) if c.dump() not in have]
    signed_data["certificates"] = certs
    signed_data["crls"] = crls
    if any(c.name == "other" for c in crls):
        signed_data["version"] = "v5"       # RFC 5652 § 5.1: other revocation info formats need version 5


# --- B-LTA: archive-time-stamp-v3 (EN 319 122-1 § 5.5.2, 5.5.3)


def _h(data: bytes, name: str = HASH) -> bytes:
    return hashlib.new(name, data).digest()


def hash_index(signed_data: cms.SignedData, name: str = HASH) -> dict[str, list[bytes]]:
    info = signed_data["signer_infos"][0]
    return {
        "certificates_hash_index": [_h(c.dump(), name) for c in signed_data["certificates"] or []],
        "crls_hash_index": [_h(c.dump(), name) for c in signed_data["crls"] or []],
        "unsigned_attr_values_hash_index": [_h(attr["type"].dump() + value.dump(), name)
                                            for attr in info["unsigned_attrs"] or [] for value in attr["values"]],
    }


def archive_input(signed_data: cms.SignedData, content: bytes, index_der: bytes, name: str = HASH) -> bytes:
    """eContentType, the hash of the signed content, the signed fields of the SignerInfo, ATSHashIndexV3."""
    info = signed_data["signer_infos"][0]
    fields = b"".join(info[f].dump() for f in ("version", "sid", "digest_algorithm", "signed_attrs",
                                               "signature_algorithm", "signature"))
    return signed_data["encap_content_info"]["content_type"].dump() + _h(content, name) + fields + index_der


def add_archive_timestamp(info: cms.ContentInfo, content: bytes) -> None:
    signed_data = info["content"]
    index = encode_hash_index(HASH, hash_index(signed_data))
    token = token_for(archive_input(signed_data, content, index), HASH)
    ts_info = token["content"]["signer_infos"][0]
    unsigned = list(ts_info["unsigned_attrs"] or [])
    unsigned.append(cms.CMSAttribute({"type": ATS_HASH_INDEX_V3, "values": [core.Any.load(index)]}))
    ts_info["unsigned_attrs"] = unsigned
    signer_info = signed_data["signer_infos"][0]
    attrs = list(signer_info["unsigned_attrs"] or [])
    attrs.append(cms.CMSAttribute({"type": ARCHIVE_TIME_STAMP_V3, "values": [token]}))
    signer_info["unsigned_attrs"] = attrs


def archive_timestamps(signed_data: cms.SignedData) -> list[tuple[cms.ContentInfo, int]]:
    """(token, position among the unsigned attributes) of every archive-time-stamp-v3."""
    out = []
    for i, attr in enumerate(signed_data["signer_infos"][0]["unsigned_attrs"] or []):
        if attr["type"].dotted == ARCHIVE_TIME_STAMP_V3:
            out += [(cms.ContentInfo.load(value.dump()), i) for value in attr["values"]]
    return out


def archive_imprint(signed_data: cms.SignedData, token: cms.ContentInfo, content: bytes) -> tuple[bytes, str]:
    """The octets an archive-time-stamp-v3 covers, from the hash index it carries; every item the index names
    must still be in the signature (nothing removed), else ValueError."""
    attrs = [a for a in token["content"]["signer_infos"][0]["unsigned_attrs"] or []
             if a["type"].dotted == ATS_HASH_INDEX_V3]
    if len(attrs) != 1 or len(attrs[0]["values"]) != 1:
        raise ValueError("no ats-hash-index-v3 in the archive time-stamp")
    index_der = attrs[0]["values"][0].dump()
    name, index = decode_hash_index(index_der)
    present = hash_index(signed_data, name)
    for key, hashes in present.items():
        if not set(index[key]) <= set(hashes):
            raise ValueError("an item the archive time-stamp covers is no longer in the signature")
    imprint_alg = token["content"]["encap_content_info"]["content"].parsed["message_imprint"]["hash_algorithm"]
    return archive_input(signed_data, content, index_der, name), imprint_alg["algorithm"].native


def extend(data: bytes, content: bytes) -> bytes:
    """Renew a detached CAdES signature: a signature time-stamp when it has none, fresh validation data, a new
    archive-time-stamp-v3 over everything."""
    info = load(data)
    signed_data = info["content"]
    if signed_data["encap_content_info"]["content"].native is not None:
        content = signed_data["encap_content_info"]["content"].native
    signer_info = signed_data["signer_infos"][0]
    digest_name = signer_info["digest_algorithm"]["algorithm"].native
    digests = [a["values"][0].native for a in signer_info["signed_attrs"] if a["type"].native == "message_digest"]
    if content is None or digests != [_h(content, digest_name)]:
        raise InvalidInput("signing.extend.content", _("The signed content is needed to extend this signature, "
                                                       "and it must be the content that was signed."))
    if not any(a["type"].dotted == SIGNATURE_TIME_STAMP for a in signer_info["unsigned_attrs"] or []):
        token = token_for(signer_info["signature"].native, HASH)
        attrs = list(signer_info["unsigned_attrs"] or [])
        attrs.append(cms.CMSAttribute({"type": SIGNATURE_TIME_STAMP, "values": [token]}))
        signer_info["unsigned_attrs"] = attrs
    add_validation_data(info, refuse_revoked=False)
    add_archive_timestamp(info, content)
    add_validation_data(info, refuse_revoked=False)     # the new time-stamp's authority, for the next renewal
    return info.dump(force=False)
