"""SMS adapters. Production points KYSO_SMS_BACKEND at the gateway adapter (HTTP JSON);
single-machine installs write messages to files; tests keep them in memory."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

outbox: list[dict] = []  # MemorySmsBackend


class SmsError(Exception):
    pass


class FileSmsBackend:
    def send(self, phone: str, text: str) -> None:
        folder = Path(settings.DATA_DIR) / "sms"
        folder.mkdir(parents=True, exist_ok=True)
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S-%f")
        (folder / f"{stamp}-{phone}.txt").write_text(text, encoding="utf-8")


class MemorySmsBackend:
    def send(self, phone: str, text: str) -> None:
        outbox.append({"phone": phone, "text": text})


class HttpGatewaySmsBackend:
    """POST {"to", "text"} as JSON to KYSO_SMS_GATEWAY_URL (the carrier's or the agency's SMS gateway)."""

    def send(self, phone: str, text: str) -> None:
        url = settings.KYSO_SMS_GATEWAY_URL
        if not url:
            raise SmsError("KYSO_SMS_GATEWAY_URL is not set")
        req = urllib.request.Request(url, data=json.dumps({"to": phone, "text": text}).encode(),
                                     headers={"Content-Type": "application/json"}, method="POST")
        with urllib.request.urlopen(req, timeout=10) as resp:  # noqa: S310 - configured gateway URL
            if resp.status >= 300:
                raise SmsError(f"gateway answered {resp.status}")


def backend():
    return import_string(settings.KYSO_SMS_BACKEND)()
