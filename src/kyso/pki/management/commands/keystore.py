"""`kyso keystore rewrap`: after a change of the key store passphrase, keep every software key and secret under
the new one (see docs/secrets.md)."""

from django.core.management.base import BaseCommand

from kyso.pki import keystore, secretkeys


class Command(BaseCommand):
    help = ("Re-encrypt every software key and secret of the key store under KYSO_KEYSTORE_PASSPHRASE, opening "
            "each with it or with KYSO_KEYSTORE_OLD_PASSPHRASE (or the former default, Django's secret key).")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("rewrap")

    def handle(self, *args, action, **o):
        keys = keystore.software_store().rewrap_all()
        secrets = secretkeys.rewrap_all()
        self.stdout.write(f"Đã mã hóa lại {keys} khóa và {secrets} khóa bí mật bằng mật khẩu kho khóa hiện hành.")
