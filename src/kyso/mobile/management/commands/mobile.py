"""`kyso mobile enrol --user LOGIN --channel app|sim [--msisdn N] --pin PIN` ·
`kyso mobile credentials [--user LOGIN]` · `kyso mobile requests [--user LOGIN] [--state pending]` ·
`kyso mobile status ID` — the same services as the CSC API and the phone page. `credentials` prints the phone
numbers in full to the server's operator, each read in the audit trail ("mobile.personal_data.read")."""

from __future__ import annotations

import getpass
import json

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.translation import pgettext

from kyso.accounts.models import User
from kyso.core.cli import acting_as_cli, fail
from kyso.core.errors import KysoError, NotFound
from kyso.mobile import administration, services
from kyso.mobile.models import Credential, SignatureRequest


def _user(username: str):
    user = User.objects.select_related("person__unit").filter(username=username).first()
    if user is None:
        raise NotFound("mobile.cli.user", "Không có tài khoản %(u)s.", u=username)
    return user


class Command(BaseCommand):
    help = "Mobile and remote signing: credentials (HSM or SIM) and signature requests."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("enrol", help="give a staff member a remote-signing (app) or SIM PKI credential")
        p.add_argument("--user", required=True)
        p.add_argument("--channel", choices=["app", "sim"], required=True)
        p.add_argument("--msisdn", default="", help="the PKI SIM's number (sim; default: the person's mobile)")
        p.add_argument("--pin", default=None, help="6-12 digits (asked for when omitted)")
        p.add_argument("--key", default="rsa2048", choices=["rsa2048", "rsa3072", "p256"])
        p.add_argument("--days", type=int, default=1095)
        p = sub.add_parser("credentials", help="list credentials")
        p.add_argument("--user", default=None)
        p = sub.add_parser("requests", help="list signature requests")
        p.add_argument("--user", default=None)
        p.add_argument("--state", default=None)
        p = sub.add_parser("status", help="one request's state (asks the carrier for SIM requests)")
        p.add_argument("request_id")

    def handle(self, *args, **o):
        try:
            if o["action"] == "enrol":
                user = _user(o["user"])
                pin = o["pin"] if o["pin"] is not None else getpass.getpass("PIN: ")
                with acting_as_cli():
                    cred = services.enrol_credential(user, channel=o["channel"], pin=pin, msisdn=o["msisdn"],
                                                     key_spec=o["key"], days=o["days"])
                self.stdout.write(f"{cred.credential_id}\t{cred.get_channel_display()}\t{cred.msisdn or '-'}\t"
                                  f"{cred.certificate.serial}")
            elif o["action"] == "credentials":
                qs = Credential.objects.select_related("holder", "certificate")
                if o["user"]:
                    qs = qs.filter(holder=_user(o["user"]))
                creds = list(qs.order_by("pk"))
                with acting_as_cli(), transaction.atomic():   # each phone number read is in the audit trail
                    administration.phones_shown(None, creds, via="cli.list")
                for c in creds:
                    self.stdout.write(f"{c.credential_id}\t{c.holder.username}\t{c.get_channel_display()}\t"
                                      f"{c.msisdn or '-'}\t{pgettext('signing credential', 'in use') if c.enabled else pgettext('signing credential', 'switched off')}\t"
                                      f"{timezone.localtime(c.certificate.not_after):%d/%m/%Y}")
            elif o["action"] == "requests":
                qs = SignatureRequest.objects.select_related("credential__holder")
                if o["user"]:
                    qs = qs.filter(credential__holder=_user(o["user"]))
                if o["state"]:
                    qs = qs.filter(state=o["state"])
                for r in qs.order_by("-created_at")[:200]:
                    self.stdout.write(f"{r.pk}\t{timezone.localtime(r.created_at):%d/%m/%Y %H:%M:%S}\t"
                                      f"{r.credential.holder.username}\t{r.get_channel_display()}\t"
                                      f"{r.get_state_display()}\t{r.display_text[:60]}")
            else:
                with acting_as_cli():
                    r = services.get_request(o["request_id"])
                self.stdout.write(json.dumps({"id": str(r.pk), "state": r.state, "error_code": r.error_code,
                                              "error_message": r.error_message}, ensure_ascii=False))
        except KysoError as exc:
            fail(exc)
