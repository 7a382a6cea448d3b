"""Accounts endpoints in the role × endpoint × scope table: API tokens of other people's accounts."""

from kyso.accounts.models import ApiToken, User
from kyso.core.scope_table import Endpoint


def _token(t):
    """An API token of an account of the target unit's staff member."""
    user = User.objects.filter(person=t.person).first()
    if user is None:
        user = User.objects.create(username=f"scope-{t.person.pk}", person=t.person, email=t.person.email)
    token, _key = ApiToken.issue(user, "scope table", scopes=["*:read"])
    t.extra["key_id"] = token.key_id


def _token_listed(t, data):
    return any(row["key_id"] == t.extra["key_id"] for row in data["results"])


ENDPOINTS = [
    Endpoint("me", "GET", lambda t: "/api/v1/me/"),
    Endpoint("tokens.managed", "GET", lambda t: "/api/v1/tokens/managed/", listed=_token_listed, prepare=_token),
    Endpoint("tokens.revoke", "DELETE", lambda t: f"/api/v1/tokens/{t.extra['key_id']}/", prepare=_token),
    Endpoint("tokens.mine", "GET", lambda t: "/api/v1/tokens/", listed=_token_listed, prepare=_token),
    Endpoint("tokens.create", "POST", lambda t: "/api/v1/tokens/", body={"name": "scope", "days": 30,
                                                                         "scopes": ["*:read"]}),
]

# Only the administrator manages accounts, so only he sees and revokes other people's tokens; to anyone else
# another person's token does not exist.
EXPECT = """
endpoint        admin   cntt    lanhdao hanoi   badinh  vanthu.hn thuebao motcua.hn kiemtoan
me              200/-   200/-   200/-   200/200 200/200 200/200   200/200 200/200   200/-
tokens.managed  L/-     U/-     U/-     U/U     U/U     U/U       U/U     U/U       U/-
tokens.revoke   204/-   404/-   404/-   404/404 404/404 404/404   404/404 404/404   404/-
# Everyone lists and mints his own tokens (never another person's).
tokens.mine      U/-     U/-     U/-     U/U     U/U     U/U     U/U     U/U     U/-
tokens.create    201/-   201/-   201/-   201/201 201/201 201/201 201/201 201/201 201/-
"""
