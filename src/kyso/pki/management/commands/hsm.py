"""`kyso hsm init-token LABEL --pin P --so-pin S | list`: SoftHSM tokens (HSM partitions, key devices)."""

from django.core.management.base import BaseCommand

from kyso.core.cli import fail
from kyso.core.errors import KysoError
from kyso.pki import keystore


class Command(BaseCommand):
    help = "Create SoftHSM2 tokens and list the keys in a token."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("init-token")
        p.add_argument("label")
        p.add_argument("--pin", required=True)
        p.add_argument("--so-pin", required=True)
        p = sub.add_parser("keys")
        p.add_argument("label")
        p.add_argument("--pin", required=True)

    def handle(self, *args, action, **o):
        try:
            if action == "init-token":
                keystore.init_softhsm_token(o["label"], o["pin"], o["so_pin"])
                self.stdout.write(f"Thiết bị {o['label']} đã sẵn sàng.")
            else:
                store = keystore.pkcs11_store(o["label"], o["pin"])
                for label in store.labels():
                    flag = "trích xuất được" if store.is_extractable(label) else "không trích xuất được"
                    self.stdout.write(f"{label} ({flag})")
        except KysoError as exc:
            fail(exc)
