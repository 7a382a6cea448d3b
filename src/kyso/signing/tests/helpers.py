"""Helpers for signing tests: independent tools (xmlsec1, openssl, pdfsig) and hand-made certificates."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.core.management import call_command

PEM = serialization.Encoding.PEM


def pem(*certs) -> bytes:
    return b"".join(c.public_bytes(PEM) for c in certs)


def key_pem(key) -> bytes:
    return key.private_bytes(PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())


def run(*args, input: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(list(map(str, args)), input=input, capture_output=True, timeout=60)


def cli_sign_b_lta_and_extend(tmp_path: Path, signer, chain, kind: str, source: str, data: bytes, signed: str,
                              *extend_options) -> Path:
    """`kyso sign KIND` of `data` (written to `source`) at B-LTA into `signed`, with the signer's certificate
    and key as PEM files, then `kyso sign extend` of it: the path of the renewed file ("renewed" + the
    suffix of `signed`)."""
    issued, key = signer
    (tmp_path / "cert.pem").write_bytes(pem(issued.certificate, *chain[:-1]))
    (tmp_path / "key.pem").write_bytes(key_pem(key.private_key()))
    (tmp_path / source).write_bytes(data)
    call_command("sign", kind, tmp_path / source, tmp_path / signed, "--cert", tmp_path / "cert.pem",
                 "--key", tmp_path / "key.pem", "--level", "B-LTA")
    renewed = tmp_path / ("renewed" + Path(signed).suffix)
    call_command("sign", "extend", tmp_path / signed, renewed, *extend_options)
    return renewed


def xmlsec_verify(path: Path, root_pem: Path) -> subprocess.CompletedProcess:
    return run("xmlsec1", "--verify", "--trusted-pem", root_pem, path)


def ca_cert_and_key():
    """The issuing CA's certificate and private key (software store), to craft special certificates."""
    from kyso.pki.ca import get_ca, key_of

    ca = get_ca()
    return ca.certificate, key_of(ca).private_key()


def expired_person_cert(public_key, name="Trần Văn Hết Hạn"):
    """A certificate of our issuing CA that expired yesterday (validity 2 years ago → yesterday)."""
    now = dt.datetime.now(dt.timezone.utc)
    return person_cert(public_key, name=name, not_before=now - dt.timedelta(days=730), not_after=now - dt.timedelta(days=1))


# KeyUsage flags in cryptography's order: digital_signature, content_commitment (nonRepudiation),
# key_encipherment, data_encipherment, key_agreement, key_cert_sign, crl_sign, encipher_only, decipher_only
SIGN_AND_COMMIT = (True, True, False, False, False, False, False, False, False)


def person_cert(public_key, *, name="Trần Văn Thử", not_before=None, not_after=None, usage=SIGN_AND_COMMIT):
    """A person certificate of our issuing CA with the given validity and key usage flags."""
    ca_cert, ca_key = ca_cert_and_key()
    now = dt.datetime.now(dt.timezone.utc)
    builder = (x509.CertificateBuilder()
               .subject_name(x509.Name([x509.NameAttribute(x509.NameOID.COUNTRY_NAME, "VN"),
                                        x509.NameAttribute(x509.NameOID.COMMON_NAME, name)]))
               .issuer_name(ca_cert.subject).public_key(public_key)
               .serial_number(x509.random_serial_number())
               .not_valid_before(not_before or now - dt.timedelta(days=1))
               .not_valid_after(not_after or now + dt.timedelta(days=365))
               .add_extension(x509.KeyUsage(*usage), critical=True)
               .add_extension(x509.SubjectAlternativeName([x509.RFC822Name("thu.nghiem@hanoi.vss.gov.vn")]), critical=False)
               .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_cert.public_key()), critical=False)
               .add_extension(x509.CRLDistributionPoints([x509.DistributionPoint(
                   [x509.UniformResourceIdentifier("http://127.0.0.1:8000/pki/crl/issuing.crl")], None, None, None)]),
                   critical=False))
    return builder.sign(ca_key, hashes.SHA256())


def foreign_ca():
    """A self-signed CA nobody trusted, and a person certificate + key under it."""
    now = dt.datetime.now(dt.timezone.utc)
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(x509.NameOID.COMMON_NAME, "CA lạ không được tin cậy")])
    ca = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
          .not_valid_after(now + dt.timedelta(days=365))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
          .sign(ca_key, hashes.SHA256()))
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(x509.NameOID.COMMON_NAME, "Người ký lạ")]))
            .issuer_name(name).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=300))
            .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True)
            .sign(ca_key, hashes.SHA256()))
    return ca, cert, key


def nss_db(directory: Path, roots) -> Path:
    """An NSS database trusting `roots`, for poppler's pdfsig (certutil from libnss3-tools)."""
    directory.mkdir(parents=True, exist_ok=True)
    run("certutil", "-N", "-d", f"sql:{directory}", "--empty-password")
    for i, cert in enumerate(roots):
        path = directory / f"root{i}.pem"
        path.write_bytes(pem(cert))
        run("certutil", "-A", "-d", f"sql:{directory}", "-n", f"root{i}", "-t", "CT,C,C", "-a", "-i", path)
    return directory


def pdfsig(path: Path, nssdir: Path | None = None) -> str:
    args = ["pdfsig"] + (["-nssdir", f"sql:{nssdir}"] if nssdir else []) + [path]
    result = run(*args)
    return result.stdout.decode() + result.stderr.decode()


def nss_chain_ok(nssdir: Path, certs, tmp: Path) -> str:
    """NSS's own chain check for e-mail signing (usage 4), the usage pdfsig asks NSS for."""
    args = ["vfychain", "-d", f"sql:{nssdir}", "-u", "4"]
    for i, cert in enumerate(certs):
        path = tmp / f"chain{i}.pem"
        path.write_bytes(pem(cert))
        args += ["-a", path]
    result = run(*args)
    return result.stdout.decode() + result.stderr.decode()
