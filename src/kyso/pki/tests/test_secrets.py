"""Issue 16 finding 12: one secret per job — Django's key, the key store passphrase, the SAD key and the
carrier (MSSP) password — each from its own variable or 0600 file, generated on a single machine, refused
missing, weak or shared in a deployment; key files under the old passphrase (Django's key) still open, once,
and are re-wrapped."""

import os
import subprocess
import sys

import pytest
from cryptography.hazmat.primitives import serialization
from django.conf import settings as django_settings
from django.core.management import call_command

from kyso import secretconf
from kyso.mobile import mssp
from kyso.mobile import scal2 as mobile_scal2
from kyso.pki import keystore, secretkeys

STRONG = {"KYSO_SECRET_KEY": "a" * 8 + "Zq3-kP9_xW2mR7tY5uI1oE4nB6vC8dF0", "KYSO_KEYSTORE_PASSPHRASE": "Lk2-Jh7_Gf5dS3aP9oI1uY4tR6eW8qZ0xC",
          "KYSO_SAD_KEY": "Mn4-Bv6_Cx8zL2kJ5hG7fD9sA1pO3iU0yT", "KYSO_MSSP_PASSWORD": "Qw1-Er3_Ty5uI7oP9aS2dF4gH6jK8lZ0xC"}


def test_four_jobs_four_secrets(settings):
    values = [settings.SECRET_KEY, settings.KYSO_KEYSTORE_PASSPHRASE, settings.KYSO_SAD_KEY, settings.KYSO_MSSP_PASSWORD]
    assert len(set(values)) == 4 and all(len(v) >= 32 for v in values[1:])
    assert mssp.ap_password() == settings.KYSO_MSSP_PASSWORD
    sad = mobile_scal2._sad_key()
    settings.SECRET_KEY = "another-django-key-for-this-test-only-0123456789"
    assert mobile_scal2._sad_key() == sad and mssp.ap_password() == settings.KYSO_MSSP_PASSWORD


def test_generated_once_with_mode_0600(tmp_path):
    first = secretconf.load_all(tmp_path, strict=False, may_generate=True, environ={})
    assert len(set(first.values())) == 4
    for name in first:
        path = tmp_path / "secrets" / name
        assert oct(path.stat().st_mode & 0o777) == "0o600" and path.read_text() == first[name]
    assert oct((tmp_path / "secrets").stat().st_mode & 0o777) == "0o700"
    assert secretconf.load_all(tmp_path, strict=True, may_generate=False, environ={}) == first


def test_each_from_its_own_variable_or_file(tmp_path):
    path = tmp_path / "sad"
    path.write_text(STRONG["KYSO_SAD_KEY"] + "\n")
    path.chmod(0o600)
    env = {**STRONG, "KYSO_SAD_KEY": "", "KYSO_SAD_KEY_FILE": str(path)}
    values = secretconf.load_all(tmp_path, strict=True, may_generate=False, environ=env)
    assert values["sad_key"] == STRONG["KYSO_SAD_KEY"] and values["secret_key"] == STRONG["KYSO_SECRET_KEY"]
    path.chmod(0o644)
    with pytest.raises(secretconf.SecretError, match="chmod 600"):
        secretconf.load_all(tmp_path, strict=True, may_generate=False, environ=env)


@pytest.mark.parametrize("change,expected", [
    ({"KYSO_SAD_KEY": ""}, "KYSO_SAD_KEY"),                                          # missing
    ({"KYSO_MSSP_PASSWORD": "short"}, "at least 32"),                                # weak
    ({"KYSO_KEYSTORE_PASSPHRASE": STRONG["KYSO_SECRET_KEY"]}, "one secret per job"),  # shared
    ({"KYSO_SECRET_KEY": "test-only-secret-key-not-for-production-0123456789"}, "guessable"),
])
def test_refused_in_a_deployment(tmp_path, change, expected):
    with pytest.raises(secretconf.SecretError, match=expected):
        secretconf.load_all(tmp_path, strict=True, may_generate=False, environ={**STRONG, **change})


def _start(env_extra, data_dir):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KYSO_", "DATABASE_URL", "DJANGO_"))}
    env.update({"KYSO_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "kyso.settings", **env_extra})
    return subprocess.run([sys.executable, "-c", "from django.conf import settings; print(len(settings.SECRET_KEY))"],
                          capture_output=True, text=True, env=env, timeout=120)


def test_start_on_a_fresh_machine_and_refusal_in_a_deployment(tmp_path):
    fresh = _start({}, tmp_path / "fresh")                     # `make run`: embedded SQLite, debug off
    assert fresh.returncode == 0, fresh.stderr
    assert sorted(p.name for p in (tmp_path / "fresh" / "secrets").iterdir()) == [
        "keystore_passphrase", "mssp_password", "sad_key", "secret_key"]
    server = _start({"DATABASE_URL": "postgres://kyso@127.0.0.1/kyso", "KYSO_SECRET_KEY": STRONG["KYSO_SECRET_KEY"]},
                    tmp_path / "server")
    assert server.returncode != 0 and "KYSO_KEYSTORE_PASSPHRASE" in server.stderr
    assert not (tmp_path / "server" / "secrets").exists()


def test_key_files_under_the_old_passphrase_open_once_and_are_rewrapped(tmp_path):
    old, new = "the-django-secret-key-that-used-to-be-the-passphrase", STRONG["KYSO_KEYSTORE_PASSPHRASE"]
    before = keystore.SoftwareKeyStore(tmp_path, old)
    key = before.generate("legacy-ca", "p256")
    path = tmp_path / "legacy-ca.p8"
    store = keystore.SoftwareKeyStore(tmp_path, new, legacy=(old,))
    assert store.get("legacy-ca").fingerprint == key.fingerprint
    serialization.load_pem_private_key(path.read_bytes(), password=new.encode())      # re-wrapped …
    with pytest.raises(ValueError):
        serialization.load_pem_private_key(path.read_bytes(), password=old.encode())  # … the old one no longer opens it
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    # without the old passphrase among the accepted ones, a file under it stays closed
    keystore.SoftwareKeyStore(tmp_path, old).generate("other", "p256")
    with pytest.raises(ValueError):
        keystore.SoftwareKeyStore(tmp_path, new).get("other")


def test_rotation_of_the_key_store_passphrase_rewraps_keys_and_secrets(settings, tmp_path):
    settings.KYSO_KEYSTORE_DIR = tmp_path / "keys"
    settings.KYSO_KEYSTORE_PASSPHRASE, settings.KYSO_KEYSTORE_LEGACY_PASSPHRASES = "first-passphrase-0123456789-abcdefgh", []
    keystore.get_or_create_key("rot-test", "p256")
    tag = secretkeys.hmac_sha256("platform-audit-chain", b"x")
    settings.KYSO_KEYSTORE_PASSPHRASE = "second-passphrase-9876543210-zyxwvuts"
    settings.KYSO_KEYSTORE_LEGACY_PASSPHRASES = ["first-passphrase-0123456789-abcdefgh"]
    secretkeys.forget()
    call_command("keystore", "rewrap")
    settings.KYSO_KEYSTORE_LEGACY_PASSPHRASES = []
    secretkeys.forget()
    assert secretkeys.hmac_sha256("platform-audit-chain", b"x") == tag
    assert keystore.software_store().get("rot-test").label == "rot-test"
    assert "second" in django_settings.KYSO_KEYSTORE_PASSPHRASE
