"""Demo: the Deputy General Director signs remotely (key in the HSM), the Hanoi director with a PKI
SIM; both confirm on the phone page with the PIN printed here."""

from __future__ import annotations

from kyso.accounts.models import User
from kyso.pki.keystore import softhsm_available

from . import services
from .models import Credential

DEMO_PIN = "123456"


def load(ctx) -> None:
    lines = ctx["lines"]
    if not softhsm_available():
        lines.append("Ký số di động: bỏ qua (chưa cài SoftHSM2 — gói Debian softhsm2)")
        return
    for username, channel, msisdn in (("lanhdao", "app", ""), ("giamdoc.hn", "sim", "0912000346")):
        user = User.objects.filter(username=username).select_related("person").first()
        if user is None or Credential.objects.filter(holder=user, channel=channel).exists():
            continue
        services.enrol_credential(user, channel=channel, pin=DEMO_PIN, msisdn=msisdn,
                                  description="Demo" if channel == "app" else f"SIM PKI {msisdn}")
    lines.append(f"Ký số di động: lanhdao (ký từ xa) và giamdoc.hn (SIM PKI 0912000346), PIN {DEMO_PIN}; "
                 "xác nhận tại /mobile/phone/ (ký từ xa: kèm mã xác thực gửi qua tin nhắn, xem thư mục var/sms/)")
