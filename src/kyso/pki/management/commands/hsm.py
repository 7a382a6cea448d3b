"""`kyso hsm init-token LABEL --pin P --so-pin S | keys LABEL --pin P`: SoftHSM tokens (HSM partitions, key devices)."""

from kyso.core.cli import ActionCommand
from kyso.pki import keystore


class Command(ActionCommand):
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

    def do_init_token(self, label, pin, so_pin, **o):
        keystore.init_softhsm_token(label, pin, so_pin)
        self.stdout.write(f"Thiết bị {label} đã sẵn sàng.")

    def do_keys(self, label, pin, **o):
        store = keystore.pkcs11_store(label, pin)
        for key in store.labels():
            flag = "trích xuất được" if store.is_extractable(key) else "không trích xuất được"
            self.stdout.write(f"{key} ({flag})")
