"""Issue 16, findings 8 and 9, for Form 05 (revocation) as for Forms 01/02: text with control characters is refused
where it comes in, with a stable code, and nothing is filed; a revocation request kept before that rule (its text
written around it) still gives its Form 05 DOCX instead of a server error ("All strings must be XML compatible")."""

import pytest

from kyso.lifecycle.models import RevocationRequest

from .test_forms import docx_text, issued  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db
URL = "/api/v1/lifecycle/revocations/"


@pytest.mark.parametrize("field", ["detail", "phone_notice"])
def test_a_revocation_with_control_characters_is_refused_at_the_input(api, issued, field):
    _person, _req, cert = issued
    body = {"certificate": cert.pk, "reason": "b", "detail": "Nghi lộ khóa", field: "Nghi\x07lộ\x1b[31m khóa"}
    for fmt in ("json", "multipart"):
        resp = api("thuebao").post(URL, body, format=fmt)
        assert resp.status_code == 400, resp.content[:300]
        error = resp.json()["error"]
        assert error["code"] == "invalid_input.control_characters"
        assert error["field_codes"] == {field: "control_characters"}
    assert not RevocationRequest.objects.filter(certificate=cert).exists()


def test_a_revocation_kept_with_control_characters_still_gives_its_form05_docx(api, issued):
    _person, _req, cert = issued
    rev = api("thuebao").post(URL, {"certificate": cert.pk, "reason": "b", "detail": "Nghi lộ khóa bí mật",
                                    "phone_notice": "Đã gọi"}, format="json")
    assert rev.status_code == 201, rev.content[:300]
    RevocationRequest.objects.filter(pk=rev.json()["id"]).update(detail="Nghi lộ\x07 khóa\x0b bí\x1f mật",
                                                                  phone_notice="Đã\x08 gọi")
    text = docx_text(api("thuebao").get(f"{URL}{rev.json()['id']}/form05.docx/"))
    assert "Mẫu số 05" in text and "Nghi lộ khóa bí mật" in text
    assert not any(c in text for c in "\x07\x0b\x1f\x08")
