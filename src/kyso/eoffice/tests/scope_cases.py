"""E-office endpoints in the role × endpoint × scope table. An outgoing document belongs to its issuing
organisation (for the targets, the district itself), an incoming one to its receiving unit: clerks, leaders
and unit officers see those of their subtree; the auditor sees all; the clerk alone issues."""

import io

from kyso.core.scope_table import Endpoint
from kyso.eoffice.drafting import render_draft


def _outgoing(t):
    from kyso.accounts.models import User
    from kyso.core.context import acting_as
    from kyso.eoffice import services

    admin, leader = User.objects.get(username="admin"), User.objects.get(username="lanhdao")
    with acting_as(admin, channel="cli"):
        doc = services.create_draft(admin, subject="V/v kiểm tra phạm vi", signer=leader,
                                    signer_title="Phó Tổng Giám đốc", body="Nội dung.", recipients=["VSS.VP"],
                                    drafting_unit=t.unit)
    t.extra["out"] = str(doc.pk)


def _incoming(t):
    from kyso.accounts.models import User
    from kyso.core.context import acting_as
    from kyso.eoffice import services
    from kyso.eoffice.drafting import render_draft

    admin = User.objects.get(username="admin")
    pdf = render_draft(organization="CÔNG TY A", symbol_suffix="CV", place="Hà Nội", subject="V/v", body="Nội dung")
    with acting_as(admin, channel="cli"):
        doc = services.receive_external(admin, t.unit, pdf, filename="a.pdf", sender="Công ty A", subject="V/v thử")
    t.extra["in"] = str(doc.pk)
    handler = User.objects.filter(person__unit=t.unit).first()
    if handler is None:
        handler = User.objects.create(username=f"h-{t.unit.code.lower()}", person=t.person)
    t.extra["handler"] = handler.username


def _listed(key):
    return lambda t, data: any(d["id"] == t.extra[key] for d in data["results"])


ENDPOINTS = [
    Endpoint("eoffice.out.list", "GET", lambda t: "/api/v1/eoffice/outgoing/", listed=_listed("out"),
             prepare=_outgoing),
    Endpoint("eoffice.out.detail", "GET", lambda t: f"/api/v1/eoffice/outgoing/{t.extra['out']}/", prepare=_outgoing),
    Endpoint("eoffice.out.issue", "POST", lambda t: f"/api/v1/eoffice/outgoing/{t.extra['out']}/issue/",
             prepare=_outgoing, body={}),
    Endpoint("eoffice.in.list", "GET", lambda t: "/api/v1/eoffice/incoming/", listed=_listed("in"), prepare=_incoming),
    Endpoint("eoffice.in.detail", "GET", lambda t: f"/api/v1/eoffice/incoming/{t.extra['in']}/", prepare=_incoming),
    Endpoint("eoffice.in.assign", "POST", lambda t: f"/api/v1/eoffice/incoming/{t.extra['in']}/assign/",
             prepare=_incoming, body=lambda t: {"assignee": t.extra["handler"], "days": 3}),
]

EXPECT = """
endpoint            admin cntt  lanhdao hanoi   badinh  vanthu.hn thuebao motcua.hn kiemtoan
eoffice.out.list    L/-   U/-   L/-     L/U     L/U     L/U       U/U     U/U       L/-
eoffice.out.detail  200/- 404/- 200/-   200/404 200/404 200/404   404/404 404/404   200/-
eoffice.out.issue   409/- 404/- 403/-   403/404 403/404 409/404   404/404 404/404   403/-
eoffice.in.list     L/-   U/-   L/-     L/U     L/U     L/U       U/U     U/U       L/-
eoffice.in.detail   200/- 404/- 200/-   200/404 200/404 200/404   404/404 404/404   200/-
eoffice.in.assign   200/- 404/- 200/-   403/404 403/404 200/404   404/404 404/404   403/-
"""


# ---------------------------------------------------------------- issue 16: the rest of the e-office operations

def _letter(t):
    f = io.BytesIO(render_draft(organization="CÔNG TY A", symbol_suffix="CV", place="Hà Nội", subject="V/v",
                                body="Nội dung"))
    f.name = "cong-van.pdf"
    return {"unit": t.unit.code, "file": f, "sender": "Công ty A", "subject": "V/v kiểm tra phạm vi"}


ENDPOINTS += [
    Endpoint("eoffice.out.file", "GET", lambda t: f"/api/v1/eoffice/outgoing/{t.extra['out']}/draft.pdf",
             prepare=_outgoing),
    # a clerk registers a document from outside Kyso in the incoming book of a unit of his
    Endpoint("eoffice.in.register", "POST", lambda t: "/api/v1/eoffice/incoming/", body=_letter, format="multipart"),
    # a draft is always of the drafter's own unit (none can be named): the target does not change the answer
    Endpoint("eoffice.out.create", "POST", lambda t: "/api/v1/eoffice/outgoing/",
             body={"subject": "V/v kiểm tra phạm vi", "signer": "lanhdao", "signer_title": "Phó Tổng Giám đốc",
                   "body": "Nội dung.", "recipients": ["VSS.VP"]}),
]

EXPECT += """eoffice.out.file    200/- 404/- 200/-   200/404 200/404 200/404   404/404 404/404   200/-
eoffice.in.register 201/- 403/- 403/-   403/403 403/403 201/403   403/403 403/403   403/-
eoffice.out.create  201/- 403/- 400/-   201/201 201/201 201/201   403/403 403/403   403/-
"""
