"""SoftHSM tokens: the stand-in for an HSM partition, a USB key device or a PKI SIM (our own token directory, a
token created on demand). `kyso.pki.keystore` re-exports these for its callers."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from kyso.core.errors import InvalidInput, NotFound


@dataclass
class SoftHsmConfig:
    directory: Path

    @property
    def conf_path(self) -> Path:
        return self.directory / "softhsm2.conf"

    @property
    def token_dir(self) -> Path:
        return self.directory / "tokens"


def ensure_softhsm_env(directory: Path | None = None) -> Path:
    """Point SOFTHSM2_CONF at a token directory of our own (before the library is loaded)."""
    cfg = SoftHsmConfig(Path(directory or settings.KYSO_SOFTHSM_DIR))
    cfg.token_dir.mkdir(parents=True, exist_ok=True)
    if not cfg.conf_path.exists():
        cfg.conf_path.write_text(
            f"directories.tokendir = {cfg.token_dir}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n"
        )
    os.environ.setdefault("SOFTHSM2_CONF", str(cfg.conf_path))
    return cfg.conf_path


def softhsm_available() -> bool:
    return bool(shutil.which("softhsm2-util")) and Path(settings.KYSO_PKCS11_MODULE).exists()


def init_softhsm_token(label: str, pin: str, so_pin: str) -> None:
    """Create a SoftHSM token (idempotent): stands in for an HSM partition or a USB key device."""
    ensure_softhsm_env()
    if not softhsm_available():
        raise NotFound("keystore.softhsm_missing", _("SoftHSM2 is not installed (Debian package softhsm2)."))
    out = subprocess.run(["softhsm2-util", "--show-slots"], capture_output=True, text=True, env=os.environ.copy())
    if re.search(rf"Label:\s+{re.escape(label)}\s*$", out.stdout, re.MULTILINE):
        return
    res = subprocess.run(
        ["softhsm2-util", "--init-token", "--free", "--label", label, "--so-pin", so_pin, "--pin", pin],
        capture_output=True, text=True, env=os.environ.copy(),
    )
    if res.returncode != 0:
        raise InvalidInput("keystore.softhsm_init", _("Could not create the token: %(detail)s"), detail=res.stderr.strip())
