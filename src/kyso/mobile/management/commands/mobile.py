"""`kyso mobile enrol --holder LOGIN --channel app|sim [--msisdn N] [--pin PIN] [--user OFFICER]` ·
`kyso mobile credentials [--holder LOGIN]` · `kyso mobile requests [--holder LOGIN] [--state pending]` ·
`kyso mobile status ID` — the same services as the CSC API and the phone page.

`--holder` names whose credential; `--user`/`--as` who acts, as in every `kyso` command. An IT officer named by
`--user` enrols as on the API — his scope, not for himself, the initial PIN sent to the holder alone by SMS; the
server's operator (no `--user`) sets the initial PIN himself (`--pin`, or asked for). `credentials` prints the
phone numbers in full to the operator, each read in the audit trail ("mobile.personal_data.read")."""

from __future__ import annotations

import getpass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from kyso.accounts.models import User
from kyso.core.cli import ActionCommand, acting_as_cli, add_user_argument, run, user_from, write_record, write_rows
from kyso.core.errors import InvalidInput, NotFound
from kyso.mobile import administration, services
from kyso.mobile.models import Channel, Credential, RequestState, SignatureRequest


def _holder(login: str):
    holder = User.objects.select_related("person__unit").filter(username=login).first()
    if holder is None:
        raise NotFound("mobile.cli.user", "Không có tài khoản %(u)s.", u=login)
    return holder


def _in_use(enabled: bool) -> str:
    return pgettext("signing credential", "in use") if enabled else pgettext("signing credential", "switched off")


class Command(ActionCommand):
    help = "Mobile and remote signing: credentials (HSM or SIM) and signature requests."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("enrol", help="give a staff member a remote-signing (app) or SIM PKI credential")
        p.add_argument("--holder", required=True, help="the staff member's login")
        p.add_argument("--channel", choices=["app", "sim"], required=True)
        p.add_argument("--msisdn", default="", help="the PKI SIM's number (sim; default: the person's mobile)")
        p.add_argument("--pin", default=None, help="6-12 digits, the operator's enrolment only (asked for when omitted)")
        p.add_argument("--key", default="rsa2048", choices=["rsa2048", "rsa3072", "p256"])
        p.add_argument("--days", type=int, default=1095)
        add_user_argument(p)
        p = sub.add_parser("credentials", help="list credentials")
        p.add_argument("--holder", default="")
        p = sub.add_parser("requests", help="list signature requests")
        p.add_argument("--holder", default="")
        p.add_argument("--state", default=None, choices=list(RequestState.values))
        p = sub.add_parser("status", help="one request's state (asks the carrier for SIM requests)")
        p.add_argument("request_id")

    def do_enrol(self, holder="", channel="", msisdn="", pin=None, key="rsa2048", days=1095, user="", **o):
        officer, holder = user_from(user), _holder(holder)
        if officer is not None:
            if pin is not None:
                raise InvalidInput("mobile.cli.pin_by_sms", _("An officer does not choose the PIN: the initial PIN is "
                                                              "sent to the holder alone by SMS. Leave out --pin."))
            cred = run(lambda: administration.enrol_for(officer, holder, channel=channel, msisdn=msisdn,
                                                        key_spec=key), user=officer)
        else:
            pin = pin if pin is not None else getpass.getpass("PIN: ")
            cred = run(lambda: services.enrol_credential(holder, channel=channel, pin=pin, msisdn=msisdn,
                                                         key_spec=key, days=days))
        self.stdout.write(f"{cred.credential_id}\t{cred.get_channel_display()}\t{cred.msisdn or '-'}\t"
                          f"{cred.certificate.serial}")

    def do_credentials(self, holder="", **o):
        qs = Credential.objects.select_related("holder", "certificate")
        if holder:
            qs = qs.filter(holder=_holder(holder))
        creds = list(qs.order_by("pk"))
        run(lambda: administration.phones_shown(None, creds, via="cli.list"))   # each number read is audited
        rows = [{"id": c.credential_id, "holder": c.holder.username, "channel": c.get_channel_display(),
                 "msisdn": c.msisdn, "state": _in_use(c.enabled), "until": c.certificate.not_after} for c in creds]
        write_rows(self.stdout, rows, ["id", "holder", "channel", "msisdn", "state", "until"])

    def do_requests(self, holder="", state=None, **o):
        qs = SignatureRequest.objects.select_related("credential__holder")
        if holder:
            qs = qs.filter(credential__holder=_holder(holder))
        if state:
            qs = qs.filter(state=state)
        rows = [{"id": r.pk, "at": r.created_at, "holder": r.credential.holder.username, "channel": r.channel,
                 "state": r.state, "text": r.display_text[:60]} for r in qs.order_by("-created_at")[:200]]
        write_rows(self.stdout, rows, ["id", "at", "holder", "channel", "state", "text"],
                   words={"channel": dict(Channel.choices), "state": dict(RequestState.choices)})

    def do_status(self, request_id="", **o):
        with acting_as_cli():
            r = services.get_request(request_id)
        write_record(self.stdout, {"id": r.pk, "state": r.state, "error": r.error_message},
                     [("id", pgettext("signature request", "Request")), ("state", pgettext("signature request", "State")),
                      ("error", pgettext("signature request", "Why it failed"))], words={"state": dict(RequestState.choices)})
