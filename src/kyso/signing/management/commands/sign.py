"""`kyso sign pdf|xml IN OUT --cert C (--key K | --pkcs11-key LABEL) [--appearance …] [--level …]`."""

from __future__ import annotations

from pathlib import Path

from cryptography.hazmat.primitives import serialization
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from kyso.core.cli import acting_as_cli, fail
from kyso.core.errors import InvalidInput, KysoError
from kyso.pki.keystore import SoftwareKey, pkcs11_store
from kyso.signing.keys import load_certificates
from kyso.signing.pdf import CAPTIONS, KINDS, LEVELS, Appearance, sign_pdf
from kyso.signing.xml import sign_xml


class Command(BaseCommand):
    help = "Sign a PDF (PAdES) or an XML e-dossier (XAdES) with a key file or a PKCS#11 key."

    def add_arguments(self, parser):
        parser.add_argument("format", choices=["pdf", "xml"])
        parser.add_argument("input")
        parser.add_argument("output")
        parser.add_argument("--cert", required=True, help="signing certificate (PEM/DER); more PEM certificates "
                                                          "in the file are the chain")
        parser.add_argument("--chain", help="extra chain certificates (PEM)")
        key = parser.add_mutually_exclusive_group(required=True)
        key.add_argument("--key", help="private key file (PEM or DER, PKCS#8)")
        key.add_argument("--pkcs11-key", help="label of a key inside a PKCS#11 token")
        parser.add_argument("--key-password", default=None)
        parser.add_argument("--pkcs11-token", default=None, help="token label (default: settings)")
        parser.add_argument("--pin", default=None, help="token user PIN (default: settings)")
        parser.add_argument("--level", default=None, help="B-B | B-T | B-LT (PDF); B-B | B-T (XML)")
        parser.add_argument("--appearance", choices=KINDS, default=None, help="PDF visible signature")
        parser.add_argument("--caption", choices=[c for c in CAPTIONS if c], default="")
        parser.add_argument("--on-behalf-of", default="", help="with --caption: the title signed for, e.g. 'Giám đốc'")
        parser.add_argument("--title", default="")
        parser.add_argument("--name", default="")
        parser.add_argument("--organization", default="")
        parser.add_argument("--document-number", default="")
        parser.add_argument("--image", help="PNG: handwritten signature (leader) or seal (organization)")
        parser.add_argument("--page", type=int, default=None, help="page number, 1 = first, -1 = last")

    def handle(self, *args, **o):
        try:
            with acting_as_cli(), transaction.atomic():
                self._sign(o)
        except KysoError as exc:
            fail(exc)
        except OSError as exc:
            raise CommandError(f"[signing.cli.file] {exc}", returncode=2) from exc

    def _sign(self, o):
        certs = load_certificates(Path(o["cert"]).read_bytes())
        if o["chain"]:
            certs += load_certificates(Path(o["chain"]).read_bytes())
        cert, chain = certs[0], certs[1:]
        if o["key"]:
            raw = Path(o["key"]).read_bytes()
            password = o["key_password"].encode() if o["key_password"] else None
            try:
                loader = serialization.load_pem_private_key if b"-----BEGIN" in raw else serialization.load_der_private_key
                key = SoftwareKey("cli", loader(raw, password))
            except (ValueError, TypeError) as exc:
                raise InvalidInput("signing.cli.key", "The private key cannot be read (wrong file or password).") from exc
        else:
            key = pkcs11_store(o["pkcs11_token"], o["pin"]).get(o["pkcs11_key"])
        if key.public_key().public_numbers() != cert.public_key().public_numbers():
            raise InvalidInput("signing.cli.key_mismatch", "The key does not belong to the certificate.")
        data = Path(o["input"]).read_bytes()
        if o["format"] == "xml":
            out = sign_xml(data, key, cert, chain=chain, level=o["level"] or "B-B")
        else:
            appearance = None
            if o["appearance"]:
                image = Path(o["image"]).read_bytes() if o["image"] else None
                page = None if o["page"] is None else (o["page"] - 1 if o["page"] > 0 else o["page"])
                appearance = Appearance(kind=o["appearance"], caption=o["caption"], on_behalf_of=o["on_behalf_of"],
                                        title=o["title"], name=o["name"],
                                        organization=o["organization"], document_number=o["document_number"],
                                        signature_image=image if o["appearance"] == "leader" else None,
                                        seal_image=image if o["appearance"] == "organization" else None, page=page)
            level = o["level"] or "B-T"
            if level not in LEVELS:
                raise InvalidInput("signing.level.unsupported", f"Unsupported signature level {level} for PDF.")
            out = sign_pdf(data, key, cert, chain=chain, level=level, appearance=appearance)
        Path(o["output"]).write_bytes(out)
        self.stdout.write(f"{o['output']} ({len(out)} bytes)")
