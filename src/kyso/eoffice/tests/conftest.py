import pytest

PIN = "246810"


@pytest.fixture
def hn_leader(demo, pki, as_user):
    """The Hanoi director signs Hanoi's documents (leader role at HN) on his tablet with a PKI SIM."""
    from django.db import transaction

    from kyso.accounts.models import RoleAssignment
    from kyso.mobile.services import enrol_credential

    user = demo.user("giamdoc.hn")
    with as_user(user), transaction.atomic():
        RoleAssignment.objects.get_or_create(user=user, role="leader", unit=demo.unit("HN"))
        enrol_credential(user, channel="sim", pin=PIN, msisdn="0912000346", key_spec="rsa2048")
    from kyso.accounts import scope

    scope.forget(user)
    return user


@pytest.fixture
def app_leader(demo, pki, as_user):
    """The Deputy General Director signs with his remote key (app channel)."""
    from kyso.mobile.services import enrol_credential

    user = demo.user("lanhdao")
    with as_user(user):
        enrol_credential(user, channel="app", pin=PIN, key_spec="rsa2048")
    return user


def make_draft(as_user, drafter, signer, recipients=("HN.BD",), **kw):
    from kyso.eoffice import services

    with as_user(drafter):
        return services.create_draft(drafter, subject=kw.pop("subject", "V/v triển khai ký số trên thiết bị di động"),
                                     signer=signer, body=kw.pop("body", "Đề nghị các đơn vị triển khai.\n\nTrân trọng."),
                                     recipients=recipients, **kw)


def to_sign(demo, leader, as_user):
    """A Hanoi draft reviewed and approved by `leader`: waiting for his signature."""
    from kyso.eoffice import services

    hanoi = demo.user("hanoi")
    doc = make_draft(as_user, hanoi, leader, signer_title="Giám đốc")
    with as_user(hanoi):
        services.submit_for_review(doc, hanoi, reviewer=leader)
    with as_user(leader):
        return services.review(doc, leader, approve=True)


def sign_on_sim(doc, leader, as_user, pin=PIN):
    """The leader asks to sign on his phone and answers the SIM's prompt with his PIN (the built-in phone)."""
    from kyso.eoffice import services
    from kyso.mobile import simulator
    from kyso.mobile.models import Credential

    with as_user(leader):
        doc = services.request_phone_signature(doc, leader, channel="sim")
        msisdn = Credential.objects.get(holder=leader, channel="sim").msisdn
        prompt = simulator.pending_on_phone([msisdn]).first()
        simulator.phone_answer(msisdn, prompt.mssp_trans_id, pin=pin)
        return services.get_outgoing(leader, doc.pk)


def issued_by_hanoi(demo, leader, as_user, **kw):
    """A Hanoi letter drafted, reviewed, signed by `leader` on his SIM and sealed and numbered by the clerk."""
    from kyso.eoffice import services

    hanoi, clerk = demo.user("hanoi"), demo.user("vanthu.hn")
    doc = make_draft(as_user, hanoi, leader, signer_title="Giám đốc", **kw)
    with as_user(hanoi):
        services.submit_for_review(doc, hanoi, reviewer=leader)
    with as_user(leader):
        services.review(doc, leader, approve=True)
    doc = sign_on_sim(doc, leader, as_user)
    with as_user(clerk):
        return services.issue(doc, clerk)
