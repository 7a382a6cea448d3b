"""Independent tools used as cross-checks: openssl and pkilint (run as separate processes)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from cryptography.hazmat.primitives import serialization

from kyso.pki import ca as pki_ca


def run(*args, input: bytes | None = None, check=True) -> subprocess.CompletedProcess:
    res = subprocess.run(list(args), input=input, capture_output=True)
    if check and res.returncode != 0:
        raise AssertionError(f"{' '.join(map(str, args))} failed ({res.returncode}):\n{res.stdout.decode(errors='replace')}\n{res.stderr.decode(errors='replace')}")
    return res


def openssl(*args, **kw) -> subprocess.CompletedProcess:
    return run("openssl", *args, **kw)


def write_chain(tmp: Path) -> Path:
    path = tmp / "chain.pem"
    path.write_bytes(b"".join(c.public_bytes(serialization.Encoding.PEM) for c in pki_ca.chain()))
    return path


def write_pem(tmp: Path, name: str, cert) -> Path:
    path = tmp / name
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return path


def make_csr(tmp: Path, key_spec: str = "rsa:2048", subject: str = "/C=VN/O=Bảo hiểm xã hội Việt Nam/CN=Nguyễn Văn An",
             san: str | None = "email:nvan@hanoi.vss.gov.vn", digest: str = "-sha256") -> Path:
    """A CSR made by `openssl req` with its own key, as a subscriber's software would."""
    key, csr = tmp / "sub.key", tmp / "sub.csr"
    if key_spec.startswith("ec:"):
        openssl("ecparam", "-name", key_spec[3:], "-genkey", "-noout", "-out", str(key))
        newkey = []
    else:
        newkey = ["-newkey", key_spec, "-nodes"]
    args = ["req", "-new", *newkey, "-keyout" if newkey else "-key", str(key), "-out", str(csr), "-utf8", "-subj", subject, digest]
    if san:
        args += ["-addext", f"subjectAltName={san}"]
    openssl(*args)
    return csr


def pkilint(kind: str, path: Path) -> list[dict]:
    """Findings of severity WARNING or above from the pkilint command `lint_<kind>`."""
    exe = shutil.which(f"lint_{kind}") or str(Path(sys.executable).parent / f"lint_{kind}")
    res = run(exe, "lint", "-f", "JSON", "-s", "WARNING", str(path), check=False)
    out = res.stdout.decode()
    data = json.loads(out) if out.strip() else {}
    findings = []
    for result in data.get("results", []):
        for finding in result.get("finding_descriptions", []):
            findings.append({"validator": result.get("validator"), **finding})
    return findings


def errors(findings: list[dict]) -> list[dict]:
    return [f for f in findings if f.get("severity") in ("ERROR", "FATAL")]
