"""Portal endpoints in the role × endpoint × scope table. Dossiers belong to the receiving office;
the catalogue and the status lookup are public; only submitter accounts submit (staff get 403)."""

import base64

from kyso.core.scope_table import Endpoint


def _dossier(t):
    from .helpers import make_dossier

    t.extra["code"] = make_dossier(t.unit).code


def _listed(t, data):
    return any(d["code"] == t.extra["code"] for d in data["results"])


_FILE = {"name": "D02-TS.xml", "content": base64.b64encode(b"<x/>").decode()}

ENDPOINTS = [
    Endpoint("portal.procedures", "GET", lambda t: "/api/v1/portal/procedures/",
             listed=lambda t, d: any(p["code"] == "600" for p in d["results"])),
    Endpoint("portal.procedure.edit", "PATCH", lambda t: "/api/v1/portal/procedures/601/", body={"processing_days": 6}),
    Endpoint("portal.dossiers", "GET", lambda t: "/api/v1/portal/dossiers/", listed=_listed, prepare=_dossier),
    Endpoint("portal.dossier", "GET", lambda t: f"/api/v1/portal/dossiers/{t.extra['code']}/", prepare=_dossier),
    Endpoint("portal.control_slip", "GET", lambda t: f"/api/v1/portal/dossiers/{t.extra['code']}/control-slip/",
             prepare=_dossier),
    Endpoint("portal.step", "POST", lambda t: f"/api/v1/portal/dossiers/{t.extra['code']}/steps/",
             body={"step": "assign"}, prepare=_dossier),
    Endpoint("portal.submit", "POST", lambda t: "/api/v1/portal/dossiers/", body={"procedure": "600", "files": [_FILE]}),
    Endpoint("portal.status", "GET", lambda t: f"/api/v1/portal/status/{t.extra['code']}/", prepare=_dossier),
]

EXPECT = """
endpoint              admin cntt  lanhdao hanoi   badinh  vanthu.hn thuebao motcua.hn kiemtoan
portal.procedures     L/-   L/-   L/-     L/L     L/L     L/L       L/L     L/L       L/-
portal.procedure.edit 200/- 200/- 403/-   403/403 403/403 403/403   403/403 403/403   403/-
portal.dossiers       L/-   403/- L/-     L/U     L/U     403/403   403/403 L/U       L/-
portal.dossier        200/- 403/- 200/-   200/404 200/404 403/403   403/403 200/404   200/-
portal.control_slip   200/- 403/- 200/-   200/404 200/404 403/403   403/403 200/404   200/-
portal.step           200/- 403/- 403/-   200/404 200/404 403/403   403/403 200/404   403/-
portal.submit         403/- 403/- 403/-   403/403 403/403 403/403   403/403 403/403   403/-
portal.status         200/- 200/- 200/-   200/200 200/200 200/200   200/200 200/200   200/-
"""


def _png(t):
    import io

    from ..barcode import encode_png
    from .helpers import d03

    f = io.BytesIO(encode_png(d03()))
    f.name = "scan.png"
    return {"image": f}


def _d03():
    from .helpers import d03

    return d03().decode()


def _counted(t, data):
    return any(r["received"] for r in data["rows"] if r["key"] == t.unit.name)


ENDPOINTS += [
    Endpoint("portal.statistics", "GET", lambda t: "/api/v1/portal/statistics/?group=unit", prepare=_dossier),
    Endpoint("portal.desk.decode", "POST", lambda t: "/api/v1/portal/desk/decode/", body=_png, format="multipart"),
    Endpoint("portal.desk.receive", "POST", lambda t: "/api/v1/portal/desk/dossiers/",
             body=lambda t: {"unit": t.unit.code, "procedure": "TE6", "submitter_kind": "commune",
                             "name": "UBND phường Kim Mã", "payload": _d03()}),
]

EXPECT += """portal.statistics     200/- 403/- 200/-   200/200 200/200 403/403   403/403 200/200   200/-
portal.desk.decode    200/- 403/- 403/-   403/403 403/403 403/403   403/403 200/200   403/-
portal.desk.receive   201/- 403/- 403/-   403/403 403/403 403/403   403/403 201/403   403/-
"""
