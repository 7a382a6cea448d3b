"""Demo logins: a few people in every role. Passwords are set only when the account is new."""

from __future__ import annotations

from .models import RoleAssignment, User
from .roles import Role

DEMO_PASSWORD = "Kyso@2026"

# username, role, unit where the role is held, staff record key "<unit>#<title>"
DEMO_USERS = [
    ("admin", Role.SYSADMIN, "VSS", "VSS.CNTT#Giám đốc"),
    ("cntt", Role.IT_OFFICER, "VSS", "VSS.CNTT#Chuyên viên"),
    ("lanhdao", Role.LEADER, "VSS", "VSS#Phó Tổng Giám đốc"),
    ("hanoi", Role.UNIT_OFFICER, "HN", "HN.VP#Chánh Văn phòng"),
    ("badinh", Role.UNIT_OFFICER, "HN.BD", "HN.BD#Phó Giám đốc"),
    ("hcm", Role.UNIT_OFFICER, "HCM", "HCM.VP#Chánh Văn phòng"),
    ("vanthu.hn", Role.CLERK, "HN", "HN#Văn thư"),
    ("vanthu.bd", Role.CLERK, "HN.BD", "HN.BD#Văn thư"),
    ("thuebao", Role.SUBSCRIBER, "HN.BD", "HN.BD#Chuyên viên"),
    ("giamdoc.hn", Role.SUBSCRIBER, "HN", "HN#Giám đốc"),
    ("motcua.hn", Role.ONESTOP_OFFICER, "HN", "HN.TN#Chuyên viên"),
    ("motcua.bd", Role.ONESTOP_OFFICER, "HN.BD", "HN.BD.MC#Chuyên viên"),
    ("kiemtoan", Role.AUDITOR, "VSS", "VSS.PC#Chuyên viên"),
]


def load_users(units, people) -> list[tuple[str, str, str]]:
    created = []
    for username, role, unit_code, person_key in DEMO_USERS:
        person = people[person_key]
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, email=person.email, person=person, is_staff=(role == Role.SYSADMIN),
                        is_superuser=(role == Role.SYSADMIN))
            parts = person.full_name.split()
            user.first_name, user.last_name = parts[-1], " ".join(parts[:-1])
            user.set_password(DEMO_PASSWORD)
            user.save()
        RoleAssignment.objects.get_or_create(user=user, role=role, unit=units[unit_code])
        # every staff member with an account is also a subscriber of his own certificates
        if role != Role.SUBSCRIBER:
            RoleAssignment.objects.get_or_create(user=user, role=Role.SUBSCRIBER, unit=person.unit)
        created.append((username, str(Role(role).label), units[unit_code].name))
    return created


def load(ctx: dict) -> None:
    """The demo logins, with their roles at units (after `org`)."""
    ctx["users"] = load_users(ctx["units"], ctx["people"])
    ctx["password"] = DEMO_PASSWORD
