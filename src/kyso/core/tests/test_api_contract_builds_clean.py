"""Issue 18, item 6 (one API shape, contract first): the OpenAPI document builds without a warning and validates
against the OpenAPI schema. Before, the generator warned 80 times: the document named no way to authenticate (Kyso
tokens and the CSC bearer token were unknown to it), three different history shapes shared one component `Event`
(a generated client read the dossier's, the document's and the SIM line's history as one type), a SIM plan's title
rules were "a string" though the API answers a list, a dozen choice sets were named by hash (`State33eEnum`), two
operations shared an id, and the staff and unit imports answered "an object" instead of the job they return."""

import io
import re

import pytest
from django.core.management import call_command

from kyso.core.testing import undocumented


def test_the_document_builds_without_a_warning_and_validates(tmp_path):
    out = tmp_path / "openapi.yml"
    call_command("spectacular", "--fail-on-warn", "--validate", "--file", str(out))
    assert out.stat().st_size > 100_000


def test_it_says_how_to_authenticate(openapi):
    schemes = openapi["components"]["securitySchemes"]
    assert schemes["kysoToken"]["scheme"] == "bearer" and schemes["cscBearer"]["scheme"] == "bearer"
    me = openapi["paths"]["/api/v1/me/"]["get"]["security"]
    assert {"kysoToken": []} in me
    sign_hash = openapi["paths"]["/csc/{version}/signatures/signHash"]["post"]["security"]
    assert {"cscBearer": []} in sign_hash


def test_components_are_named_for_their_domain_not_by_hash(openapi):
    names = set(openapi["components"]["schemas"])
    assert not [n for n in names if re.search(r"[0-9a-f]{3}Enum$", n)]
    assert {"DossierEvent", "DocumentEvent", "SubscriptionEvent", "DossierStatusEnum", "OutgoingStateEnum",
            "DeviceStateEnum"} <= names and "Event" not in names
    plan = openapi["components"]["schemas"]["Plan"]["properties"]["title_rules"]
    assert plan == {"type": "array", "items": {"type": "string"}}


@pytest.mark.django_db
@pytest.mark.parametrize("path,who", [("/api/v1/imports/staff/", "hanoi"), ("/api/v1/imports/units/", "admin")])
def test_an_import_answers_the_job_the_document_names(api, demo, openapi, path, who):
    f = io.BytesIO("Mã đơn vị,Tên đơn vị\n".encode())
    f.name = "tep.csv"
    r = api(who).post(path, {"file": f}, format="multipart")
    assert r.status_code == 202, r.content
    assert openapi["paths"][path]["post"]["responses"]["202"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Job"}
    assert undocumented(openapi, path, "post", 202, r.json()) == []
