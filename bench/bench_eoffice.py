"""E-office: what deferred signing (prepare here, the hash signed on the phone, finish later) costs next to
signing the same PDF at once with the same key; the whole outgoing flow per document next to its parts;
verification on arrival next to plain pyHanko validation."""

from __future__ import annotations

import io

from bench.run import fresh_demo, timed

PIN = "246810"


def run(report):
    fresh_demo("eoffice")
    from django.db import transaction

    from kyso.accounts.models import RoleAssignment, User
    from kyso.core.context import acting_as
    from kyso.eoffice import services
    from kyso.eoffice.drafting import render_draft
    from kyso.files.storage import read
    from kyso.mobile import services as mobile
    from kyso.mobile import simulator
    from kyso.pki.ca import chain
    from kyso.pki.issuance import SubjectInfo, issue_for_public_key
    from kyso.pki.keystore import get_or_create_key
    from kyso.signing.deferred import finish_pdf, prepare_pdf
    from kyso.signing.pdf import Appearance, sign_pdf

    director, hanoi, clerk = (User.objects.get(username=u) for u in ("giamdoc.hn", "hanoi", "vanthu.hn"))
    with acting_as(director, channel="cli"), transaction.atomic():
        RoleAssignment.objects.get_or_create(user=director, role="leader", unit=director.person.unit)
        key = get_or_create_key("bench-leader", "rsa2048")
        cert = issue_for_public_key(key.public_key(), "person", SubjectInfo(
            common_name=director.person.full_name, email=director.person.email, title="Giám đốc"), 365,
            key_location="keystore:bench-leader").certificate
    with acting_as(director, channel="cli"):
        sim = mobile.enrol_credential(director, channel="sim", pin=PIN, msisdn="0912000346")
    ca_chain = chain()[:-1]
    draft = render_draft(organization="BHXH THÀNH PHỐ HÀ NỘI", symbol_suffix="BHXH-VP", place="Hà Nội",
                         subject="V/v thử hiệu năng", body="Nội dung văn bản.\n\nTrân trọng.")
    look = Appearance(kind="leader", title="Giám đốc", name=director.person.full_name)

    def at_once():
        with acting_as(director, channel="cli"):
            sign_pdf(draft, key, cert, chain=ca_chain, level="B-T", appearance=look)

    def deferred():
        with acting_as(director, channel="cli"):
            prepared = prepare_pdf(draft, cert, chain=ca_chain, level="B-T", appearance=look)
            finish_pdf(prepared, cert, key.sign(prepared.signed_attrs, "sha256"), chain=ca_chain)

    direct = timed(at_once, min_seconds=3)
    report.add("signing", "PAdES B-T leader signature at once (software key, our TSA)", direct, "doc/s")
    report.add("signing", "same, deferred: prepare + finish (phone's half excluded)", timed(deferred, min_seconds=3),
               "doc/s", "signed at once", direct)

    def whole_flow():
        with acting_as(hanoi, channel="cli"):
            doc = services.create_draft(hanoi, subject="V/v thử hiệu năng", signer=director, signer_title="Giám đốc",
                                        data=draft, filename="d.pdf", recipients=["HN.BD"])
            services.submit_for_review(doc, hanoi, director)
        with acting_as(director, channel="cli"):
            services.review(doc, director, approve=True)
            doc = services.request_phone_signature(doc, director, channel="sim")
            prompt = simulator.pending_on_phone([sim.msisdn]).first()
            simulator.phone_answer(sim.msisdn, prompt.mssp_trans_id, pin=PIN)
            services.collect_phone_signature(doc.pk)
        with acting_as(clerk, channel="cli"):
            doc = services.dispatch(services.issue(doc, clerk), clerk)
        return doc

    flow = timed(whole_flow, min_seconds=5, max_iterations=40)
    report.add("flow", "draft → review → SIM signature → seal + number → dispatch + verified arrival", flow, "doc/s",
               "deferred leader signature alone", timed(deferred, min_seconds=2))

    issued = read(whole_flow().issued_file)
    from kyso.signing.verify import verify_bytes

    def kyso_verify():
        verify_bytes(issued, doc_type="official")

    def pyhanko_validate():
        from pyhanko.pdf_utils.reader import PdfFileReader
        from pyhanko.sign.validation import validate_pdf_signature

        from kyso.signing.trust import default_trust

        vc = default_trust().validation_context()
        for sig in PdfFileReader(io.BytesIO(issued)).embedded_signatures:
            validate_pdf_signature(sig, vc)

    report.add("arrival", "verification on arrival (2 signatures, Art. 8 rules, report)", timed(kyso_verify, min_seconds=3),
               "doc/s", "pyHanko validate_pdf_signature ×2", timed(pyhanko_validate, min_seconds=3))
