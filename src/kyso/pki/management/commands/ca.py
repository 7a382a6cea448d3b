"""`kyso ca init|issue|revoke|suspend|release|chain|crl|list|show`: the CA from the command line.

`issue`, `revoke`, `suspend` and `release` take `--user LOGIN` (or KYSO_CLI_USER): the step is then that Kyso user's, his right
checked at the agency's root and the audit record his; without it, the server's operator's."""

from __future__ import annotations

from pathlib import Path

from cryptography.hazmat.primitives import serialization
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from kyso.core import dates
from kyso.core.cli import acting_as_cli, add_user_argument, fail, run, user_from
from kyso.core.errors import KysoError
from kyso.pki import ca as pki_ca
from kyso.pki import bootstrap, crl, issuance, revocation
from kyso.pki.keystore import KEY_SPECS
from kyso.pki.models import IssuedCertificate
from kyso.pki.profiles import SUBSCRIBER_PROFILES


class Command(BaseCommand):
    help = "Kyso's certification authority: initialise, issue, revoke, suspend, publish."
    STEPS = ("issue", "revoke", "suspend", "release")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("init", help="create the root and issuing CA and their responders (idempotent)")
        p.add_argument("--key-spec", choices=KEY_SPECS, default="rsa3072", help="root CA key")
        p.add_argument("--issuing-key-spec", choices=KEY_SPECS, default="rsa2048")
        p = sub.add_parser("issue", help="issue a certificate from a CSR, or onto a PKCS#11 token")
        src = p.add_mutually_exclusive_group(required=True)
        src.add_argument("--csr", help="PKCS#10 request, PEM or DER")
        src.add_argument("--token", help="label of a (Soft)HSM token: the key is generated inside it")
        p.add_argument("--pin", help="user PIN of --token")
        p.add_argument("--key-spec", choices=KEY_SPECS, default="rsa2048", help="key generated in --token")
        p.add_argument("--profile", required=True, help=", ".join(SUBSCRIBER_PROFILES))
        p.add_argument("--days", type=int, default=1825)
        p.add_argument("--out", required=True, help="certificate file (PEM)")
        p.add_argument("--request", default=None, help="the approved issuance request (Form 01) sent to the CA: "
                                                       "required for --profile person|organization, names the subject")
        for f in ("cn", "email", "title", "ou", "o", "locality", "province"):
            p.add_argument(f"--{f}", default=None, help=f"subject {f} (overrides the CSR)")
        add_user_argument(p)   # the issuance as that Kyso user (his right checked at the agency's root, issue 16)
        p = sub.add_parser("revoke")
        p.add_argument("--serial", required=True)
        p.add_argument("--reason", default="unspecified", choices=list(revocation.REASONS))
        p.add_argument("--invalidity-date", default=None, help="when the key was compromised: dd/mm/yyyy hh:mm, local time")
        add_user_argument(p)
        for name in ("suspend", "release", "show"):
            sp = sub.add_parser(name)
            sp.add_argument("--serial", required=True)
            if name != "show":
                add_user_argument(sp)   # the step as that Kyso user (his right checked, the audit record his)
        p = sub.add_parser("chain", help="export the CA chain (issuing CA, root) as PEM")
        p.add_argument("--out", required=True)
        p.add_argument("--ca", default=pki_ca.ISSUING)
        p = sub.add_parser("crl", help="publish a fresh CRL now")
        p.add_argument("--ca", default=pki_ca.ISSUING)
        p.add_argument("--out", default=None)
        p = sub.add_parser("list")
        p.add_argument("--status", choices=["good", "revoked", "hold"], default=None)
        p.add_argument("-n", type=int, default=50)

    def handle(self, *args, action, **o):
        try:
            if action in self.STEPS:   # `run` acts as --user (or the operator): his right, his audit record
                getattr(self, f"do_{action}")(**o)
                return
            with acting_as_cli():
                getattr(self, f"do_{action}")(**o)
        except KysoError as exc:
            fail(exc)

    def do_init(self, key_spec, issuing_key_spec, **o):
        with transaction.atomic():
            issuing = bootstrap.ensure_ca(root_spec=key_spec, issuing_spec=issuing_key_spec)
        for ca in (issuing.parent, issuing):
            self.stdout.write(f"{ca.name}: {ca.common_name} (khóa {ca.key_store}:{ca.key_label}, "
                              f"hết hạn {ca.certificate.not_valid_after_utc:%d/%m/%Y})")

    def _subject(self, o, base: issuance.SubjectInfo | None) -> issuance.SubjectInfo | None:
        overrides = {"common_name": o.get("cn"), "email": o.get("email"), "title": o.get("title"),
                     "organizational_unit": o.get("ou"), "organization": o.get("o"), "locality": o.get("locality"),
                     "province": o.get("province")}
        if base is None and not any(overrides.values()):
            return None
        base = base or issuance.SubjectInfo(common_name="")
        for k, v in overrides.items():
            if v is not None:
                setattr(base, k, v)
        return base

    def do_issue(self, csr, token, pin, key_spec, profile, days, out, user="", request=None, **o):
        actor = user_from(user)
        if csr:
            path = Path(csr)
            if not path.is_file():
                raise CommandError(f"[pki.csr.missing] Không tìm thấy tệp {csr}", returncode=2)
            data = path.read_bytes()

            def issue():
                base = None
                if any(o.get(k) for k in ("cn", "email", "title", "ou", "o", "locality", "province")):
                    req = issuance.load_csr(data)
                    base = issuance.SubjectInfo.from_name(req.subject, email=issuance._csr_email(req))
                return issuance.issue_from_csr(data, profile, days, subject=self._subject(o, base), actor=actor,
                                               request=request)
        else:
            if pin is None:
                raise CommandError("[pki.token.pin] --pin là bắt buộc với --token", returncode=2)
            subject = self._subject(o, None)
            if subject is None and not (request and profile in issuance.FORM01_PROFILES):   # else: the request's
                raise CommandError("[pki.subject.missing_cn] --cn là bắt buộc với --token", returncode=2)

            def issue():
                return issuance.as_step(lambda named: issuance.issue_on_token(token, pin, profile, named, days,
                                                                              key_spec=key_spec),
                                        profile=profile, actor=actor, request=request, subject=subject)
        issued = run(issue, user=actor)   # `run`: as --user (or the operator), one transaction, one error shape
        Path(out).write_bytes(issued.pem)
        self.stdout.write(f"Đã cấp chứng thư số {issued.serial} cho {issued.common_name}, "
                          f"hiệu lực đến {issued.not_after:%d/%m/%Y} → {out}")

    def do_revoke(self, serial, reason, invalidity_date, user="", **o):
        try:
            when = dates.parse_moment(invalidity_date, field="invalidity_date")
        except KysoError as exc:
            fail(exc)
        actor = user_from(user)
        cert = run(lambda: revocation.revoke(serial, reason, invalidity_date=when, actor=actor), user=actor)
        crl.publish_quietly(cert.ca.name)
        self.stdout.write(f"Đã thu hồi {cert.serial} ({reason}).")

    def do_suspend(self, serial, user="", **o):
        actor = user_from(user)
        cert = run(lambda: revocation.suspend(serial, actor=actor), user=actor)
        crl.publish_quietly(cert.ca.name)
        self.stdout.write(f"Đã tạm dừng {cert.serial}.")

    def do_release(self, serial, user="", **o):
        actor = user_from(user)
        cert = run(lambda: revocation.release(serial, actor=actor), user=actor)
        crl.publish_quietly(cert.ca.name)
        self.stdout.write(f"Đã khôi phục {cert.serial}.")

    def do_show(self, serial, **o):
        cert = revocation.find(serial)
        self.stdout.write(f"{cert.serial} {cert.get_profile_display()} {cert.get_status_display()} {cert.subject_dn}\n"
                          f"  {cert.not_before:%d/%m/%Y} → {cert.not_after:%d/%m/%Y}; khóa: {cert.key_location}")

    def do_chain(self, out, ca, **o):
        pems = b"".join(c.public_bytes(serialization.Encoding.PEM) for c in pki_ca.chain(ca))
        Path(out).write_bytes(pems)
        self.stdout.write(f"Đã ghi chuỗi chứng thư CA vào {out}")

    def do_crl(self, ca, out, **o):
        der = crl.current(ca, force=True)
        if out:
            Path(out).write_bytes(der)
        self.stdout.write(f"Đã công bố CRL của {ca} ({len(der)} byte).")

    def do_list(self, status, n, **o):
        qs = IssuedCertificate.objects.order_by("-created_at")
        if status:
            qs = qs.filter(status=status)
        for c in qs[:n]:
            self.stdout.write(f"{c.serial}\t{c.get_profile_display()}\t{c.get_status_display()}\t"
                              f"{timezone.localtime(c.not_after):%d/%m/%Y}\t{c.common_name}")
