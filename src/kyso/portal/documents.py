"""The one-stop artefacts of Circular 01/2018/TT-VPCP as official documents: receipt and appointment
(Form 01), supplement request (02), refusal (03), apology with a new date (04), process control slip
(05), and the result. The desk's artefacts are signed with the office's organisation certificate alone; the
result is signed by the office's leader with his own certificate, then sealed over his signature (Decree 30,
Art. 32; Decision 508, Art. 8.2 and 8.5). Each is archived."""

from __future__ import annotations

from kyso.core.documents import OfficialDocument
from kyso.core.documents.model import Field, FieldLine, Paragraph, SignatureBlock, Table, vn_date, vn_datetime
from kyso.files import storage
from kyso.workdays.calendar import today

from .models import DocKind, Dossier, DossierDocument
from kyso.signing.decree30 import LEADER_MM

from .sealing import seal_document, seal_signed, sealing_unit

GOVERNING = "BẢO HIỂM XÃ HỘI VIỆT NAM"


def _base(dossier: Dossier, form_label: str, title: str, blocks: list, *, signer_caption="TIẾP NHẬN VÀ TRẢ KẾT QUẢ",
          signature: SignatureBlock | None = None):
    unit = sealing_unit(dossier.unit)
    return OfficialDocument(
        title=title, governing_body=GOVERNING, issuer=unit.name.upper(), number=f"Mã hồ sơ: {dossier.code}",
        place=unit.province_name or "Hà Nội", date=today(), form_label=form_label, recipient=dossier.submitter_name,
        blocks=[FieldLine([Field("Thủ tục", f"{dossier.procedure.code} — {dossier.procedure.name}")]), *blocks],
        signatures=[signature or SignatureBlock(caption=[signer_caption], note="(Ký số của cơ quan)", name=unit.name)],
    )


def _submitter(dossier: Dossier) -> FieldLine:
    return FieldLine([Field("Tổ chức, cá nhân", dossier.submitter_name), Field("Mã số thuế", dossier.submitter_tax_code)])


def receipt(dossier: Dossier) -> OfficialDocument:
    files = [[str(i + 1), f.form.code if f.form else "", f.file.name, f.signer or "—"] for i, f in
             enumerate(dossier.files.select_related("form", "file").order_by("id"))]
    return _base(dossier, "Mẫu số 01", "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", [
        _submitter(dossier),
        FieldLine([Field("Hình thức nộp", dossier.get_channel_display()), Field("Loại hồ sơ", dossier.get_kind_display())]),
        FieldLine([Field("Tiếp nhận lúc", vn_datetime(dossier.received_at))]),
        Table(["STT", "Mẫu", "Tệp", "Người ký"], files or [["—", "", "", ""]], widths=[1, 2, 5, 5]),
        FieldLine([Field("Thời hạn giải quyết", f"{dossier.procedure.processing_days} ngày làm việc")]),
        FieldLine([Field("Ngày hẹn trả kết quả", vn_date(dossier.due_date))]),
        Paragraph(f"Căn cứ tiếp nhận: {dossier.intake_rule.code} — {dossier.intake_rule.citation}.", italic=True, size=11),
        Paragraph(f"Tra cứu tình trạng hồ sơ bằng mã {dossier.code} trên Cổng dịch vụ công.", size=11),
    ])


def supplement_request(dossier: Dossier, missing: list[str], note: str) -> OfficialDocument:
    rows = [[str(i + 1), item] for i, item in enumerate(missing)]
    return _base(dossier, "Mẫu số 02", "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", [
        Paragraph("Hồ sơ của Quý cơ quan, tổ chức, cá nhân cần được bổ sung, hoàn thiện các nội dung sau:"),
        Table(["STT", "Nội dung cần bổ sung"], rows, widths=[1, 9]),
        Paragraph(note) if note else Paragraph(""),
        Paragraph("Thời gian giải quyết tạm dừng từ ngày ra phiếu này đến khi nhận đủ hồ sơ bổ sung.", italic=True),
    ])


def refusal(dossier: Dossier, reasons: list[str]) -> OfficialDocument:
    rows = [[str(i + 1), r] for i, r in enumerate(reasons)]
    return _base(dossier, "Mẫu số 03", "PHIẾU TỪ CHỐI TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ", [
        Paragraph("Cơ quan bảo hiểm xã hội từ chối giải quyết hồ sơ vì các lý do sau:"),
        Table(["STT", "Lý do"], rows, widths=[1, 9]),
    ])


def apology(dossier: Dossier, reason: str, old_date, new_date) -> OfficialDocument:
    return _base(dossier, "Mẫu số 04", "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ", [
        FieldLine([Field("Ngày hẹn trả kết quả trước đây", vn_date(old_date))]),
        Paragraph(f"Lý do chậm: {reason}"),
        Paragraph("Cơ quan bảo hiểm xã hội xin lỗi Quý cơ quan, tổ chức, cá nhân vì sự chậm trễ này."),
        FieldLine([Field("Ngày hẹn trả kết quả mới", vn_date(new_date))]),
    ], signer_caption="THỦ TRƯỞNG CƠ QUAN")


def control_slip(dossier: Dossier) -> OfficialDocument:
    rows = [[vn_datetime(e.at), e.get_action_label(), e.actor, e.unit_name, e.note] for e in dossier.events.all()]
    return _base(dossier, "Mẫu số 05", "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", [
        FieldLine([Field("Ngày nhận", vn_date(dossier.received_on)), Field("Hẹn trả", vn_date(dossier.due_date))]),
        Table(["Thời gian", "Bước", "Người thực hiện", "Đơn vị", "Ghi chú"], rows, widths=[3, 3, 3, 3, 4], size=10),
    ])


RESULT_TITLE = "THÔNG BÁO KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"


def result(dossier: Dossier, note: str) -> OfficialDocument:
    return _base(dossier, "", RESULT_TITLE, [
        _submitter(dossier),
        Paragraph(f"Cơ quan bảo hiểm xã hội đã giải quyết hồ sơ mã {dossier.code} như sau:"),
        FieldLine([Field("Nội dung giải quyết", note or "Hồ sơ đã được giải quyết theo đề nghị.")]),
        FieldLine([Field("Kết quả trả", dossier.procedure.result_type)]),
        FieldLine([Field("Ngày tiếp nhận", vn_date(dossier.received_on)), Field("Ngày hẹn trả", vn_date(dossier.due_date))]),
    # the room for the leader's stamp, which shows his own title, signature and name (the seal goes over it)
    ], signature=SignatureBlock(caption=[], blank_mm=LEADER_MM[1]))


FILE_NAMES = {DocKind.RECEIPT: "giay-tiep-nhan", DocKind.SUPPLEMENT: "phieu-bo-sung", DocKind.REFUSAL: "phieu-tu-choi",
              DocKind.APOLOGY: "phieu-xin-loi", DocKind.RESULT: "ket-qua"}


def issue(dossier: Dossier, kind: str, doc: OfficialDocument, data: dict | None = None) -> DossierDocument:
    """Render, sign with the office's organisation certificate, archive, attach to the dossier."""
    return _archive(dossier, kind, seal_document(doc, dossier.unit, reason=doc.title), data)


def issue_signed(dossier: Dossier, kind: str, signed: bytes, *, reason: str, data: dict | None = None) -> DossierDocument:
    """A document the office's leader has signed: the office's seal over his signature, archived, attached."""
    return _archive(dossier, kind, seal_signed(signed, dossier.unit, reason=reason), data)


def _archive(dossier: Dossier, kind: str, pdf: bytes, data: dict | None) -> DossierDocument:
    stored = storage.store(pdf, name=f"{FILE_NAMES[kind]}-{dossier.code}.pdf", media_type="application/pdf",
                           purpose=f"portal.{kind}", unit_path=dossier.unit.path)
    return DossierDocument.objects.create(dossier=dossier, kind=kind, file=stored, data=data or {})
