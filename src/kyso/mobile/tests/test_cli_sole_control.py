"""Issue 16, finding 2 (the CLI door): `kyso sign` with a remote credential's HSM token and its PIN signed the
document — sole control bypassed. A key held remotely (CSC credential, PKI SIM) signs only with a SAD bound to
the document or a confirmation on the phone; the CLI refuses it, whoever runs it, before the token is opened."""

from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from django.core.management import CommandError, call_command

from kyso.pki.keystore import software_store

from .conftest import PIN
from .test_pyhanko_csc_client import _one_page_pdf


def _args(tmp_path: Path, cred):
    (tmp_path / "in.pdf").write_bytes(_one_page_pdf())
    (tmp_path / "cert.pem").write_bytes(cred.certificate.certificate.public_bytes(serialization.Encoding.PEM))
    return ["sign", "pdf", str(tmp_path / "in.pdf"), str(tmp_path / "out.pdf"), "--cert", str(tmp_path / "cert.pem"),
            "--pkcs11-token", cred.token_label, "--pkcs11-key", cred.key_label, "--pin", PIN]


@pytest.mark.parametrize("login", ["", "lanhdao", "badinh"])
def test_the_cli_refuses_a_remote_key_with_its_pin(app_credential, tmp_path, login):
    args = _args(tmp_path, app_credential) + (["--user", login] if login else [])
    with pytest.raises(CommandError) as err:
        call_command(*args)
    assert "signing.cli.remote_key" in str(err.value)
    assert not (tmp_path / "out.pdf").exists()


def test_a_sim_key_is_refused_too(sim_credential, tmp_path):
    with pytest.raises(CommandError) as err:
        call_command(*_args(tmp_path, sim_credential))
    assert "signing.cli.remote_key" in str(err.value)


@pytest.mark.django_db
def test_a_key_file_of_ones_own_still_signs(pki, tmp_path):
    """The guard concerns remote keys only: a certificate of no remote credential signs as before."""
    from kyso.core.context import acting_as
    from kyso.pki.issuance import SubjectInfo, issue_for_public_key

    key = software_store().generate("cli-own-key", "rsa2048")
    with acting_as(label="test"):
        issued = issue_for_public_key(key.public_key(), "organization", SubjectInfo(common_name="Phòng thử"), 30)
    (tmp_path / "in.pdf").write_bytes(_one_page_pdf())
    (tmp_path / "cert.pem").write_bytes(issued.certificate.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "key.pem").write_bytes(key.private_key().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    call_command("sign", "pdf", str(tmp_path / "in.pdf"), str(tmp_path / "out.pdf"), "--cert",
                 str(tmp_path / "cert.pem"), "--key", str(tmp_path / "key.pem"), "--level", "B-B")
    assert (tmp_path / "out.pdf").read_bytes().startswith(b"%PDF")
