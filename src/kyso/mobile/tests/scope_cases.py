"""Mobile-signing endpoints in the role × endpoint × scope table. A credential belongs to its holder's
unit: IT officers see and manage those of their subtree, auditors see them, the holder sees his own
(nobody in the table holds the target credential)."""

import uuid

from kyso.accounts.models import User as _User
from kyso.core.context import acting_as
from kyso.core.scope_table import Endpoint
from kyso.mobile import administration, services as _services
from kyso.mobile.models import Credential


def _credential(t):
    from kyso.accounts.models import User
    from kyso.mobile.services import enrol_credential

    holder = getattr(t.person, "user", None) if hasattr(t.person, "user") else None
    if holder is None:
        holder = User.objects.create(username=f"holder-{uuid.uuid4().hex[:8]}", person=t.person)
    t.extra["holder"] = holder.username
    t.extra["cid"] = enrol_credential(holder, channel="app", pin="123456", key_spec="p256").credential_id


def _listed(t, data):
    return any(c["credential_id"] == t.extra["cid"] for c in data["results"])


def _holder_user(t):
    from kyso.accounts.models import User

    user = User.objects.create(username=f"new-{uuid.uuid4().hex[:8]}", person=None)
    t.extra["holder"] = user.username
    from kyso.org.models import Person

    person = Person.objects.filter(unit=t.unit, user__isnull=True, phone_mobile__gt="").exclude(email="").first()
    user.person = person
    user.save()


ENDPOINTS = [
    Endpoint("mobile.credentials", "GET", lambda t: "/api/v1/mobile/credentials/", listed=_listed, prepare=_credential),
    Endpoint("mobile.credential", "GET", lambda t: f"/api/v1/mobile/credentials/{t.extra['cid']}/",
             prepare=_credential),
    Endpoint("mobile.disable", "POST", lambda t: f"/api/v1/mobile/credentials/{t.extra['cid']}/disable/",
             prepare=_credential),
    Endpoint("mobile.unlock", "POST", lambda t: f"/api/v1/mobile/credentials/{t.extra['cid']}/unlock/",
             prepare=_credential),
    Endpoint("mobile.ask", "POST", lambda t: "/api/v1/mobile/requests/", prepare=_credential,
             body=lambda t: {"signer": t.extra["holder"], "display_text": "Ký công văn",
                             "hashes": ["47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="]}),
    Endpoint("mobile.enrol", "POST", lambda t: "/api/v1/mobile/credentials/",
             body=lambda t: {"holder": t.extra["holder"], "channel": "app"}, prepare=_holder_user),
]

# The IT Center manages a credential; the auditor, who sees it, is refused (403); the others are not told it exists.
# What is the holder's alone (his PIN, the requests to him) no role in the table is told of.
PROFILES = """
profile             admin cntt  lanhdao hanoi   badinh  vanthu.hn thuebao motcua.hn kiemtoan
it_manages          200/- 200/- 404/-   404/404 404/404 404/404   404/404 404/404   403/-
holder_only         404/- 404/- 404/-   404/404 404/404 404/404   404/404 404/404   404/-
"""

EXPECT = """
endpoint            admin cntt  lanhdao hanoi   badinh  vanthu.hn thuebao motcua.hn kiemtoan
mobile.credentials  L/-   L/-   U/-     U/U     U/U     U/U       U/U     U/U       L/-
mobile.credential   200/- 200/- 404/-   404/404 404/404 404/404   404/404 404/404   200/-
mobile.disable      it_manages
mobile.unlock       it_manages
mobile.ask          201/- 403/- 403/-   403/403 403/403 201/404   403/403 403/403   403/-
mobile.enrol        it_center_creates
"""


# ---------------------------------------------------------------- issue 16: the rest of the mobile operations

def _disabled(t):
    """A credential the IT Center disabled: enabling it again is theirs, within their units."""
    _credential(t)
    with acting_as(label="scope-table"):
        administration.set_enabled(_User.objects.get(username="admin"), Credential.objects.get(
            credential_id=t.extra["cid"]), False)


def _request(t):
    """A request to the target holder, asked by the system: only the holder and the requester follow it."""
    _credential(t)
    holder = _User.objects.get(username=t.extra["holder"])
    with acting_as(label="scope-table"):
        t.extra["request"] = str(_services.request_signature(
            signer=holder, hashes=["47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="], display_text="Ký công văn",
            channel="app").pk)


ENDPOINTS += [
    Endpoint("mobile.enable", "POST", lambda t: f"/api/v1/mobile/credentials/{t.extra['cid']}/enable/",
             prepare=_disabled),
    # the PIN is the holder's alone: an officer who sees the credential (or knows the PIN) cannot change it
    Endpoint("mobile.pin", "POST", lambda t: f"/api/v1/mobile/credentials/{t.extra['cid']}/pin/",
             prepare=_credential, body={"old_pin": "123456", "new_pin": "654321"}),
    Endpoint("mobile.requests", "GET", lambda t: "/api/v1/mobile/requests/", prepare=_request,
             listed=lambda t, d: any(r["id"] == t.extra["request"] for r in d["results"])),
    Endpoint("mobile.request", "GET", lambda t: f"/api/v1/mobile/requests/{t.extra['request']}/", prepare=_request),
    Endpoint("mobile.request.document", "GET", lambda t: f"/api/v1/mobile/requests/{t.extra['request']}/document/",
             prepare=_request),
]

EXPECT += """mobile.enable       it_manages
mobile.pin          holder_only
mobile.requests     U/-   U/-   U/-     U/U     U/U     U/U       U/U     U/U       U/-
mobile.request      holder_only
mobile.request.document holder_only
"""
