"""endesive as an independent PDF signer (its own incremental writer on top of pypdf).

endesive 3.0.1's `endesive.pdf` package imports its verifier, hence `certvalidator` → `oscrypto`, whose
version sniffing does not recognise OpenSSL 3.0.19 (oscrypto 1.3.0 matches only one-digit patch numbers:
"Error detecting the version of libcrypto"), and its writer still calls pypdf < 5's
`write_to_stream(stream, encryption_key)` and writes `/W [1 8 0]` as a name, which pypdf 7 refuses.
The signing module `endesive/pdf/cms.py` needs neither: it is loaded on its own, and handed a copy of
`pypdf.generic` whose dictionary and stream classes accept the old call and whose NameObject turns "[1 8 0]"
back into an array. Nothing of pypdf or endesive is changed for anyone else."""

from __future__ import annotations

import datetime as dt
import importlib.util
import types
from pathlib import Path

import endesive
from pypdf import generic as _g


class _OldCall(type):
    def __instancecheck__(cls, obj):            # objects read by pypdf are the plain classes
        return isinstance(obj, cls.__mro__[1])


class _Dictionary(_g.DictionaryObject, metaclass=_OldCall):
    def write_to_stream(self, stream, encryption_key=None):
        return super().write_to_stream(stream)


class _Stream(_g.StreamObject, metaclass=_OldCall):
    def write_to_stream(self, stream, encryption_key=None):
        return super().write_to_stream(stream)


def _name(value):
    if value.startswith("["):
        return _g.ArrayObject(_g.NumberObject(int(x)) for x in value[1:-1].split())
    return _g.NameObject(value)


def _load():
    spec = importlib.util.spec_from_file_location("kyso_test_endesive_pdf_cms",
                                                  Path(endesive.__path__[0]) / "pdf" / "cms.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    shim = types.ModuleType("pypdf_generic_for_endesive")
    shim.__dict__.update(_g.__dict__)
    shim.DictionaryObject, shim.StreamObject, shim.NameObject = _Dictionary, _Stream, _name
    module.po = shim
    return module


_CMS = None


def sign(data: bytes, cert, key, chain=(), *, certify: bool = False, field: str = "Signature1") -> bytes:
    """`data` signed by endesive (adbe.pkcs7.detached, invisible; with `certify`, a certification signature)."""
    global _CMS
    if _CMS is None:
        _CMS = _load()
    udct = {"sigflags": 3, "sigfield": field, "auto_sigfield": True, "aligned": 0, "reason": "Phe duyet",
            "location": "Ha Noi", "contact": "thu.nghiem@hanoi.vss.gov.vn", "sigandcertify": certify,
            "signingdate": dt.datetime.now(dt.timezone.utc).strftime("D:%Y%m%d%H%M%S+00'00'")}
    return data + _CMS.sign(data, udct, key, cert, list(chain), "sha256")
