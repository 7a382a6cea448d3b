"""The same path by hand in the UI: each role presses its buttons on the server-rendered pages."""


from kyso.lifecycle.models import IssuanceRequest, RequestList


def test_person_certificate_by_hand(demo):
    badinh, hanoi, cntt, leader = (demo.client(u) for u in ("badinh", "hanoi", "cntt", "lanhdao"))
    person = demo.user("thuebao").person
    page = badinh.get("/lifecycle/requests/new/")
    assert page.status_code == 200 and person.full_name in page.content.decode()
    resp = badinh.post("/lifecycle/requests/new/", {"kind": "person", "person": person.pk, "validity_years": 5})
    req = IssuanceRequest.objects.get(full_name=person.full_name)
    assert resp.status_code == 302 and resp["Location"].endswith(f"/lifecycle/requests/{req.pk}/")
    detail = badinh.get(f"/lifecycle/requests/{req.pk}/").content.decode()
    assert "Xác nhận" in detail or "Confirm" in detail
    badinh.post(f"/lifecycle/requests/{req.pk}/confirm/")
    badinh.post("/lifecycle/lists/", {"op": "compile", "unit": demo.unit("HN.BD").pk})
    district = RequestList.objects.get(unit__code="HN.BD")
    badinh.post("/lifecycle/lists/", {"op": "send", "list": district.pk})
    hanoi.post("/lifecycle/lists/", {"op": "compile", "unit": demo.unit("HN").pk})
    province = RequestList.objects.get(unit__code="HN")
    hanoi.post("/lifecycle/lists/", {"op": "send", "list": province.pk})
    cntt.post("/lifecycle/lists/", {"op": "receive", "list": province.pk})
    home = cntt.get("/").content.decode()
    assert "/lifecycle/" in home, "the IT Center's home page shows the lifecycle queue"
    cntt.post(f"/lifecycle/requests/{req.pk}/valid/")
    cntt.post("/lifecycle/lists/", {"op": "compile_approval"})
    approval = RequestList.objects.get(is_approval_list=True)
    leader.post("/lifecycle/lists/", {"op": "approve", "list": approval.pk})
    resp = cntt.post("/lifecycle/lists/", {"op": "send_to_ca", "list": approval.pk}, follow=True)
    assert "PIN" in resp.content.decode()
    cntt.post(f"/lifecycle/requests/{req.pk}/handover_unit/")
    badinh.post(f"/lifecycle/requests/{req.pk}/handover_subscriber/")
    cntt.post(f"/lifecycle/requests/{req.pk}/activate/")
    req.refresh_from_db()
    assert req.state == "activated"
    page = badinh.get(f"/lifecycle/requests/{req.pk}/").content.decode()
    assert "Mẫu số 04" in page and "Mẫu số 03" in page
    for url in ("/lifecycle/", "/lifecycle/lists/", "/lifecycle/devices/", "/lifecycle/campaign/",
                f"/lifecycle/forms/01/{req.pk}.pdf", f"/lifecycle/forms/02/{district.pk}.xlsx"):
        assert badinh.get(url).status_code == 200, url
    assert badinh.get(f"/lifecycle/forms/02/{approval.pk}.xlsx").status_code == 404, "the IT Center's list is not his"
    assert cntt.get(f"/lifecycle/forms/02/{approval.pk}.xlsx").status_code == 200
    cert = req.certificates.get()
    assert badinh.get(f"/lifecycle/certificates/{cert.pk}/").status_code == 200


def test_out_of_scope_pages_are_hidden(demo):
    hcm = demo.client("hcm")
    badinh = demo.client("badinh")
    person = demo.user("thuebao").person
    badinh.post("/lifecycle/requests/new/", {"kind": "person", "person": person.pk})
    req = IssuanceRequest.objects.get(full_name=person.full_name)
    assert hcm.get(f"/lifecycle/requests/{req.pk}/").status_code == 404
    hcm.post(f"/lifecycle/requests/{req.pk}/confirm/")
    req.refresh_from_db()
    assert req.state == "submitted"
