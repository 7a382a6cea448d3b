"""`kyso users create|assign|lock|unlock|token`: accounts from the command line.

`lock` and `unlock` take `--user LOGIN` (or KYSO_CLI_USER): the step is then that Kyso user's — his right checked
where the account belongs (its staff record's unit; the agency's root for an account without one) and the audit
record his; without it, the server's operator's."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from kyso.accounts import services
from kyso.accounts.models import User
from kyso.accounts.roles import Role
from kyso.core.cli import acting_as_cli, add_user_argument, fail, run, user_from
from kyso.core.errors import KysoError
from kyso.org.models import Person
from kyso.org.services import get_unit


class Command(BaseCommand):
    help = "Create accounts, assign roles at units, unlock accounts, issue API tokens."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("create")
        p.add_argument("username")
        p.add_argument("--email", required=True, help="government e-mail of the staff record to link")
        p.add_argument("--password", required=True)
        p = sub.add_parser("assign")
        p.add_argument("username")
        p.add_argument("role", choices=Role.values)
        p.add_argument("unit", help="unit code")
        p = sub.add_parser("unlock")
        p.add_argument("username")
        add_user_argument(p)
        p = sub.add_parser("lock", help="lock an account: its web sessions and CSC access tokens end")
        p.add_argument("username")
        add_user_argument(p)
        p = sub.add_parser("token")
        p.add_argument("username")
        p.add_argument("name")
        p.add_argument("--days", type=int, default=90, help="at most 90")
        p.add_argument("--scope", action="append", default=[],
                       help="<area>:read or <area>:write (area: * or an app: lifecycle, portal, …); repeatable")

    def _user(self, username):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"[accounts.not_found] Không có tài khoản {username}", returncode=2)
        return user

    def _lock(self, action, username, actor):
        """A step of the step runner as `actor` (or the operator): refused outside his scope, audited as his."""
        account = self._user(username)
        if action == "lock":
            run(lambda: services.lock(account, actor=actor), user=actor)
            self.stdout.write("Đã khóa; các phiên đăng nhập của tài khoản đã kết thúc.")
        else:
            run(lambda: services.unlock(account, actor=actor), user=actor)
            self.stdout.write("Đã mở khóa.")

    def handle(self, *args, action, **o):
        if action in ("lock", "unlock"):
            self._lock(action, o["username"], user_from(o.get("user")))
            return
        try:
            with acting_as_cli(), transaction.atomic():
                if action == "create":
                    person = Person.objects.filter(email__iexact=o["email"]).first()
                    if person is None:
                        raise CommandError(f"[org.person.not_found] Không có cán bộ với thư điện tử {o['email']}", returncode=2)
                    if User.objects.filter(username=o["username"]).exists():
                        raise CommandError(f"[accounts.exists] Tài khoản {o['username']} đã tồn tại", returncode=2)
                    user = User(username=o["username"], email=person.email, person=person)
                    user.set_password(o["password"])
                    user.save()
                    self.stdout.write(f"Đã tạo tài khoản {user.username} cho {person.full_name}.")
                elif action == "assign":
                    a = services.assign_role(self._user(o["username"]), o["role"], get_unit(o["unit"]))
                    self.stdout.write(f"Đã phân quyền: {a}")
                elif action == "token":
                    _t, key = services.issue_token(self._user(o["username"]), o["name"], o["days"], o["scope"])
                    self.stdout.write(key)
        except KysoError as exc:
            fail(exc)
