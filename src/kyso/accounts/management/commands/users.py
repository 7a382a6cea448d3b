"""`kyso users create|assign|lock|unlock|token`: accounts from the command line."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from kyso.accounts import services
from kyso.accounts.models import User
from kyso.accounts.roles import Role
from kyso.core.cli import acting_as_cli, fail
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
        p = sub.add_parser("lock", help="lock an account: its web sessions and CSC access tokens end")
        p.add_argument("username")
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

    def handle(self, *args, action, **o):
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
                elif action == "unlock":
                    services.unlock(self._user(o["username"]))
                    self.stdout.write("Đã mở khóa.")
                elif action == "lock":
                    services.lock(self._user(o["username"]))
                    self.stdout.write("Đã khóa; các phiên đăng nhập của tài khoản đã kết thúc.")
                elif action == "token":
                    _t, key = services.issue_token(self._user(o["username"]), o["name"], o["days"], o["scope"])
                    self.stdout.write(key)
        except KysoError as exc:
            fail(exc)
