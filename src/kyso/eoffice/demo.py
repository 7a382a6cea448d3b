"""Demo: the Hanoi director (giamdoc.hn, PKI SIM) leads Hanoi's e-office. One letter went the whole way —
drafted by `hanoi`, signed on the director's SIM, sealed and numbered by `vanthu.hn`, arrived at Ba Đình and
verified there; a second waits for his signature, to try on the tablet."""

from __future__ import annotations

from kyso.accounts import scope
from kyso.accounts.models import RoleAssignment, User
from kyso.mobile import simulator
from kyso.mobile.demo import DEMO_PIN
from kyso.mobile.models import Credential

from . import services
from .models import OutgoingDocument


def load(ctx) -> None:
    lines = ctx["lines"]
    director = User.objects.filter(username="giamdoc.hn").select_related("person__unit").first()
    hanoi = User.objects.filter(username="hanoi").first()
    clerk = User.objects.filter(username="vanthu.hn").first()
    units = ctx["units"]
    if director is None or hanoi is None or clerk is None:
        return
    RoleAssignment.objects.get_or_create(user=director, role="leader", unit=units["HN"])
    scope.forget(director)
    if OutgoingDocument.objects.exists():
        return
    sim = Credential.objects.filter(holder=director, channel="sim", enabled=True).first()
    common = dict(signer=director, signer_title="Giám đốc", recipients=["HN.BD", "HN.CG"])
    done = services.create_draft(
        hanoi, subject="V/v triển khai ký số trên thiết bị di động cho Lãnh đạo đơn vị", **common,
        body="Thực hiện Công văn số 346/BHXH-CNTT ngày 07/02/2020 của Bảo hiểm xã hội Việt Nam, BHXH thành phố "
             "Hà Nội đề nghị BHXH các quận, huyện triển khai ký số bằng SIM PKI trên máy tính bảng cho Lãnh đạo "
             "đơn vị.\n\nĐề nghị các đơn vị thực hiện.")
    services.submit_for_review(done, hanoi, director)
    services.review(done, director, approve=True, note="Trình ký")
    if sim is not None:
        done = services.request_phone_signature(done, director, channel="sim")
        prompt = simulator.pending_on_phone([sim.msisdn]).first()
        simulator.phone_answer(sim.msisdn, prompt.mssp_trans_id, pin=DEMO_PIN)
        done = services.collect_phone_signature(done.pk)
        done = services.dispatch(services.issue(done, clerk), clerk)
    waiting = services.create_draft(
        hanoi, subject="V/v rà soát chứng thư số sắp hết hạn của cán bộ, viên chức", **common,
        body="Đề nghị các đơn vị rà soát chứng thư số sắp hết hạn trong 90 ngày và lập đề nghị gia hạn (Mẫu 01) "
             "theo Quyết định số 508/QĐ-BHXH.\n\nTrân trọng.")
    services.submit_for_review(waiting, hanoi, director)
    services.review(waiting, director, approve=True, note="Trình ký")
    what = f"văn bản {done.number_symbol} đã gửi BHXH Ba Đình, Cầu Giấy" if done.number else "bỏ qua ký (chưa có SoftHSM2)"
    lines.append(f"Văn phòng điện tử: {what}; một văn bản chờ giamdoc.hn ký tại /eoffice/ (PIN SIM {DEMO_PIN})")
