"""`kyso sign pdf|xml|cms IN OUT --cert C (--key K | --pkcs11-key LABEL) [--appearance …] [--level …]` and
`kyso sign renew-archive` (the nightly archive renewal, now) and
`kyso sign extend IN OUT [--content FILE]` (fresh validation data and a new archive time-stamp for a long-term
document; a detached CAdES signature needs its signed file). `cms` makes a detached CAdES signature of any file."""

from __future__ import annotations

import hashlib
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext_lazy as _
from django.db import transaction

from kyso.core.cli import acting_as_cli, add_user_argument, fail, user_from
from kyso.core.errors import Forbidden, InvalidInput, KysoError
from kyso.pki.models import IssuedCertificate
from kyso.signing import service
from kyso.pki.keystore import SoftwareKey, pkcs11_store
from kyso.signing.cades import sign_cms
from kyso.signing.keys import load_certificates
from kyso.signing.longterm import extend
from kyso.signing.renewal import run_job
from kyso.signing.pdf import CAPTIONS, KINDS, Appearance, sign_pdf
from kyso.signing.xml import sign_xml


class _Nobody:
    """The server operator, when no --user is named: he holds no remote credential."""

    pk = None
    person = None
    is_authenticated = False


def _refuse_remote_key(cert, login: str) -> None:
    """A key held remotely (a CSC credential in the HSM, a PKI SIM) signs only with sole control — the PIN and a
    one-time code bound to the document, or a confirmation on the phone (issue 16, finding 2) — never with the
    token PIN alone from the command line. The apps that hold such keys answer through the signing service's
    hook: they raise for their keys when neither a SAD nor a confirmation is given."""
    fingerprint = hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).hexdigest()
    issued = IssuedCertificate.objects.filter(fingerprint=fingerprint).first()
    if issued is None:
        return
    user = user_from(login) or _Nobody()
    for remote in service._REMOTE:   # the hooks the apps holding remote keys registered (same app: signing)
        try:
            outcome = remote(user, issued, b"", fmt="pdf", level="B-T", sad="", confirm="")
        except KysoError as exc:
            raise Forbidden("signing.cli.remote_key",
                            _("The key of this certificate is held remotely: it signs only with sole control (PIN and "
                              "a one-time code bound to the document, or confirmation on the phone) through POST "
                              "/api/v1/sign or the CSC API, never with the token PIN from the command line.")) from exc
        if outcome is not None:   # a hook must never sign without a SAD or a confirmation
            raise Forbidden("signing.cli.remote_key", _("The key of this certificate is held remotely."))


class Command(BaseCommand):
    help = ("Sign a PDF (PAdES), an XML e-dossier (XAdES) or any file (CAdES, detached) with a key file or a "
            "PKCS#11 key; or extend a long-term signed document (new validation data and archive time-stamp).")

    def add_arguments(self, parser):
        parser.add_argument("format", choices=["pdf", "xml", "cms", "extend", "renew-archive"])
        parser.add_argument("input", nargs="?")
        parser.add_argument("output", nargs="?")
        parser.add_argument("--cert", help="signing certificate (PEM/DER); more PEM certificates "
                                           "in the file are the chain")
        parser.add_argument("--chain", help="extra chain certificates (PEM)")
        key = parser.add_mutually_exclusive_group()
        key.add_argument("--key", help="private key file (PEM or DER, PKCS#8)")
        key.add_argument("--pkcs11-key", help="label of a key inside a PKCS#11 token")
        parser.add_argument("--key-password", default=None)
        parser.add_argument("--pkcs11-token", default=None, help="token label (default: settings)")
        parser.add_argument("--pin", default=None, help="token user PIN (default: settings)")
        parser.add_argument("--level", default=None, help="B-B | B-T | B-LT | B-LTA")
        parser.add_argument("--appearance", choices=KINDS, default=None, help="PDF visible signature")
        parser.add_argument("--caption", choices=[c for c in CAPTIONS if c], default="")
        parser.add_argument("--on-behalf-of", default="", help="with --caption: the title signed for, e.g. 'Giám đốc'")
        parser.add_argument("--title", default="")
        parser.add_argument("--name", default="")
        parser.add_argument("--organization", default="")
        parser.add_argument("--document-number", default="")
        parser.add_argument("--image", help="PNG: handwritten signature (leader) or seal (organization)")
        parser.add_argument("--page", type=int, default=None, help="page number, 1 = first, -1 = last")
        parser.add_argument("--content", help="extend: the signed file of a detached CAdES signature")
        add_user_argument(parser)

    def handle(self, *args, **o):
        try:
            with acting_as_cli(), transaction.atomic():
                self._sign(o)
        except KysoError as exc:
            fail(exc)
        except OSError as exc:
            raise CommandError(f"[signing.cli.file] {exc}", returncode=2) from exc

    def _sign(self, o):
        if o["format"] == "renew-archive":      # what the nightly job does, now
            self.stdout.write(run_job())
            return
        if not o["input"] or not o["output"]:
            raise InvalidInput("signing.cli.files_required", _("Give the input and the output file."))
        if o["format"] == "extend":
            content = Path(o["content"]).read_bytes() if o["content"] else None
            out = extend(Path(o["input"]).read_bytes(), content)
            Path(o["output"]).write_bytes(out)
            self.stdout.write(f"{o['output']} ({len(out)} byte)")
            return
        if not o["cert"] or not (o["key"] or o["pkcs11_key"]):
            raise InvalidInput("signing.cli.key_required", _("Signing needs --cert and --key or --pkcs11-key."))
        certs = load_certificates(Path(o["cert"]).read_bytes())
        if o["chain"]:
            certs += load_certificates(Path(o["chain"]).read_bytes())
        cert, chain = certs[0], certs[1:]
        _refuse_remote_key(cert, o.get("user") or "")
        if o["key"]:
            raw = Path(o["key"]).read_bytes()
            password = o["key_password"].encode() if o["key_password"] else None
            try:
                loader = serialization.load_pem_private_key if b"-----BEGIN" in raw else serialization.load_der_private_key
                key = SoftwareKey("cli", loader(raw, password))
            except (ValueError, TypeError) as exc:
                raise InvalidInput("signing.cli.key", _("The private key cannot be read (wrong file or password).")) from exc
        else:
            key = pkcs11_store(o["pkcs11_token"], o["pin"]).get(o["pkcs11_key"])
        if key.public_key().public_numbers() != cert.public_key().public_numbers():
            raise InvalidInput("signing.cli.key_mismatch", _("The key does not belong to the certificate."))
        data = Path(o["input"]).read_bytes()
        if o["format"] == "xml":
            out = sign_xml(data, key, cert, chain=chain, level=o["level"] or "B-B")
        elif o["format"] == "cms":
            out = sign_cms(data, key, cert, chain=chain, level=o["level"] or "B-T")
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
            out = sign_pdf(data, key, cert, chain=chain, level=o["level"] or "B-T", appearance=appearance)
        Path(o["output"]).write_bytes(out)
        self.stdout.write(f"{o['output']} ({len(out)} byte)")
