"""Forms 01–05 of Decision 508 (the Circular 05/2010/TT-BNV forms) filled from the records, as PDF and
DOCX in the administrative layout (national motto, unit, number and symbol, place and date), and Form 02
also as XLSX."""

from __future__ import annotations

import copy
import datetime as dt

from django.utils.translation import gettext_lazy as _

from kyso.core.documents import (Checkbox, Field, FieldLine, OfficialDocument, Paragraph, SignatureBlock, Table,
                                 render_docx, render_pdf, vn_date_phrase)
from kyso.core.errors import InvalidState
from kyso.core.exports import XlsxSheet
from kyso.workdays.calendar import today

from .models import PERSONAL_FIELDS, RevocationReason, Step
from .units import it_center

GOVERNING = "BẢO HIỂM XÃ HỘI VIỆT NAM"
VN_TZ = dt.timezone(dt.timedelta(hours=7))


def _d(value) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def without_personal(obj):
    """A copy of a request or a person without the personal data (`models.PERSONAL_FIELDS`), for a form shown
    to someone who may not see it."""
    out = copy.copy(obj)
    for name in PERSONAL_FIELDS:
        setattr(out, name, None if name.endswith("date") else "")
    return out


def _place(unit) -> str:
    return unit.province_name or "Hà Nội"


def form01(req) -> OfficialDocument:
    male = req.gender.lower().startswith(("nam", "male"))
    female = req.gender.lower().startswith(("nữ", "female"))
    blocks = [
        FieldLine([Field("Họ và tên (chữ in hoa)", req.full_name.upper())]),
        Checkbox("Giới tính:", [("Nam", male), ("Nữ", female)]),
        FieldLine([Field("Ngày sinh", _d(req.birth_date)), Field("Nơi sinh", req.birth_place)]),
        FieldLine([Field("Số CMTND/CCCD/Hộ chiếu", req.id_number), Field("Ngày cấp", _d(req.id_issue_date)),
                   Field("Nơi cấp", req.id_issue_place)]),
        FieldLine([Field("Địa chỉ thường trú", req.residence)]),
        FieldLine([Field("Nơi công tác", req.workplace)]),
        FieldLine([Field("Điện thoại", req.phone_office or req.phone_mobile), Field("Fax", req.fax)]),
        FieldLine([Field("Chức vụ", req.title)]),
        FieldLine([Field("Địa chỉ thư điện tử", req.email)]),
        FieldLine([Field("Số chứng thư số cũ (nếu có)", req.old_certificate_serial),
                   Field("Thời hạn đề nghị cấp (tối đa là 05 năm)", f"{req.validity_years} năm")]),
    ]
    if req.is_seal_holder:
        blocks += [Paragraph("Hồ sơ kèm theo:", bold=True, align="left"),
                   Paragraph("• Bản sao hợp lệ giấy chứng nhận đã đăng ký mẫu con dấu"
                             + (" (đã đính kèm)" if req.seal_registration_id else ""), align="left"),
                   Paragraph("• Bản sao hợp lệ văn bản xác nhận chức danh"
                             + (" (đã đính kèm)" if req.title_confirmation_id else ""), align="left")]
    blocks += [
        Paragraph("Tôi cam đoan những thông tin khai trên là đúng sự thật, nếu sai tôi hoàn toàn chịu trách nhiệm "
                  "trước pháp luật."),
        Paragraph("Nếu được chấp thuận cấp chứng thư số, tôi cam đoan chấp hành nghiêm chỉnh mọi quy định về quản "
                  "lý, sử dụng chữ ký số và chứng thư số."),
    ]
    confirm = "Xác nhận của đơn vị quản lý thuê bao" + (" (đã xác nhận)" if req.confirmed_by_id else "")
    return OfficialDocument(
        form_label="Mẫu số 01", title="GIẤY ĐỀ NGHỊ CẤP CHỨNG THƯ SỐ",
        recipient=req.subscriber.managing_unit.name, place=_place(req.unit), date=req.submitted_on, blocks=blocks,
        signatures=[SignatureBlock([confirm.upper()]),
                    SignatureBlock(["NGƯỜI KHAI"], name=req.full_name, note="(Ký và ghi rõ họ, tên)",
                                   date_line=vn_date_phrase(_place(req.unit), req.submitted_on))])


LIST_HEADER = ["STT", "Họ tên", "Ngày sinh", "Số CMTND/Hộ chiếu, ngày cấp, nơi cấp", "Tên cơ quan, đơn vị",
               "Tỉnh/Thành phố", "Chức vụ", "Chức danh của người có thẩm quyền (*)", "Địa chỉ thư điện tử",
               "Số chứng thư số cũ (nếu có)"]


def _list_rows(lst, shown=None) -> list[list[str]]:
    """The rows of Form 02; `shown`: the requests whose personal data the reader sees (None: all)."""
    rows = []
    for i, r in enumerate(lst.all_requests(), 1):
        r = r if shown is None or r.pk in shown else without_personal(r)
        rows.append([str(i), r.full_name, _d(r.birth_date),
                     ", ".join(p for p in (r.id_number, _d(r.id_issue_date), r.id_issue_place) if p),
                     r.unit.name, r.unit.province_name, r.title, r.title if r.is_seal_holder else "", r.email,
                     r.old_certificate_serial])
    return rows


def form02(lst, shown=None) -> OfficialDocument:
    rows = _list_rows(lst, shown)
    recipient = lst.sent_to.name if lst.sent_to_id else ("Lãnh đạo Bảo hiểm xã hội Việt Nam" if lst.is_approval_list
                                                         else "")
    return OfficialDocument(
        form_label="Mẫu số 02", governing_body=GOVERNING, issuer=lst.unit.name.upper(), number=f"Số: {lst.number}",
        title="DANH SÁCH ĐỀ NGHỊ CẤP CHỨNG THƯ SỐ", recipient=recipient, place=_place(lst.unit),
        date=lst.sent_on or lst.created_on, landscape=True,
        blocks=[Paragraph(f"Số lượng đăng ký: {len(rows)}", align="left"), Paragraph("Danh sách đăng ký:", align="left"),
                Table(LIST_HEADER, rows, widths=[0.4, 1.4, 0.9, 1.6, 1.5, 0.9, 1, 1.1, 1.6, 1], size=9)],
        signatures=[SignatureBlock(["NGƯỜI LẬP"], note="(Ký, ghi rõ họ tên)"),
                    SignatureBlock(["NGƯỜI QUẢN LÝ THUÊ BAO"], note="(Ký tên, đóng dấu)",
                                   date_line=vn_date_phrase(_place(lst.unit), lst.sent_on or lst.created_on))])


def form02_xlsx(lst, shown=None) -> bytes:
    sheet = XlsxSheet("Mau 02")
    sheet.row(["Mẫu số 02 — DANH SÁCH ĐỀ NGHỊ CẤP CHỨNG THƯ SỐ"])
    sheet.row([f"{lst.unit.name} — Số: {lst.number}"])
    sheet.row([])
    sheet.row(LIST_HEADER, bold=True, wrap=True)
    sheet.rows(_list_rows(lst, shown))
    sheet.widths((5, 25, 12, 30, 30, 16, 18, 20, 30, 20))
    return sheet.to_bytes()


WORDS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín", "mười"]


def _in_words(n: int) -> str:
    return WORDS[n] if n <= 10 else str(n)


def _party(label: str, unit, representative: str = "", title: str = "") -> list:
    return [FieldLine([Field(label, unit.name)]), FieldLine([Field("Đơn vị", (unit.parent or unit).name)]),
            FieldLine([Field("Địa chỉ đơn vị", unit.address)]),
            FieldLine([Field("Đại diện", representative), Field("Chức vụ", title)])]


def form03(kind: str, *, giver, receiver, certificate=None, note: str = "", giver_rep=None,
           receiver_rep=None) -> OfficialDocument:
    """Biên bản giao nhận: "Cấp mới" (IT Center → unit → subscriber) or "Thu hồi" (device back)."""
    now = dt.datetime.now(VN_TZ)
    rows = []
    if certificate is not None:
        when = certificate.effective_at or certificate.not_before
        rows.append(["1", certificate.subscriber.name, certificate.serial,
                     certificate.device.serial if certificate.device_id else "", kind,
                     when.astimezone(VN_TZ).strftime("%d/%m/%Y") if kind == "Cấp mới" else "", note])
    g, r = giver_rep, receiver_rep
    return OfficialDocument(
        form_label="Mẫu số 03", title="BIÊN BẢN GIAO NHẬN CHỨNG THƯ SỐ", place=_place(giver), date=today(),
        blocks=[Paragraph(f"Hôm nay, vào hồi {now:%H} giờ {now:%M} ngày {now:%d} tháng {now:%m} năm {now:%Y}, "
                          f"tại {giver.name}, chúng tôi gồm:"),
                *_party("I. Bên giao", giver, g.full_name if g else "", g.title if g else ""),
                *_party("II. Bên nhận", receiver, r.full_name if r else "", r.title if r else ""),
                Paragraph("Hai bên thống nhất việc giao nhận chứng thư số như sau:"),
                Paragraph(f"Bên giao đã giao cho Bên nhận: {len(rows):02d} (bằng chữ: {_in_words(len(rows))}) bộ "
                          "chứng thư số, cụ thể như sau:"),
                Table(["STT", "Họ tên", "Số hiệu chứng thư số", "Số hiệu thiết bị lưu khóa bí mật",
                       "Lý do giao nhận (1)", "Thời điểm có hiệu lực của chứng thư số (2)", "Ghi chú (3)"], rows,
                      widths=[0.4, 1.5, 2, 1.4, 0.9, 1, 1.2], size=9),
                Paragraph("Biên bản giao nhận được làm thành 02 bản, Bên giao giữ 01 bản, Bên nhận giữ 01 bản."),
                Paragraph("Ghi chú: (1) “Cấp mới” trường hợp cấp mới chứng thư số, “Thu hồi” trường hợp thu hồi "
                          "chứng thư số; (2) trường hợp cấp mới ghi rõ thời điểm đề nghị có hiệu lực; (3) trường hợp "
                          "thu hồi thiếu thiết bị lưu khóa bí mật thì ghi rõ lý do.", align="left")],
        signatures=[SignatureBlock(["ĐẠI DIỆN BÊN GIAO"], note="(Ký tên, đóng dấu)"),
                    SignatureBlock(["ĐẠI DIỆN BÊN NHẬN"], note="(Ký tên, đóng dấu)")])


def form04(certificate, handed_on: dt.date | None = None, number: str = "") -> OfficialDocument:
    """Thông báo về việc đề nghị thời điểm có hiệu lực của chứng thư số (to the Government Cipher Committee)."""
    itc = it_center()
    effective = (certificate.effective_at or dt.datetime.now(VN_TZ)).astimezone(VN_TZ)
    email = certificate.request.email if certificate.request_id else ""
    return OfficialDocument(
        form_label="Mẫu số 04", governing_body=GOVERNING, issuer=itc.name.upper(),
        number=f"Số: {number or '......../TB-CNTT'}", title="THÔNG BÁO",
        subtitle="Về việc đề nghị thời điểm có hiệu lực của chứng thư số", recipient="Ban Cơ yếu Chính phủ",
        place=_place(itc), date=today(),
        blocks=[Paragraph("Số lượng đề nghị: 01", align="left"), Paragraph("Danh sách đề nghị:", align="left"),
                Table(["STT", "Họ tên", "Địa chỉ thư điện tử (*)", "Số hiệu chứng thư số",
                       "Thời gian bàn giao chứng thư số cho thuê bao", "Thời điểm đề nghị có hiệu lực"],
                      [["1", certificate.subscriber.name, email, certificate.serial, _d(handed_on),
                        effective.strftime("%d/%m/%Y")]], widths=[0.4, 1.7, 1.8, 2.2, 1.2, 1.2], size=9),
                Paragraph("(*) Địa chỉ thư điện tử là địa chỉ hộp thư liên lạc của thuê bao đã sử dụng để đề nghị "
                          "cấp chứng thư số.", align="left")],
        signatures=[SignatureBlock(["NGƯỜI LẬP"], note="(Ký, ghi rõ họ tên)"),
                    SignatureBlock(["NGƯỜI QUẢN LÝ THUÊ BAO"], note="(Ký tên, đóng dấu)",
                                   date_line=vn_date_phrase(_place(itc), today()))])


def form05(rev, personal: bool = True) -> OfficialDocument:
    """Giấy đề nghị thu hồi chứng thư số: the subscriber's particulars, the certificate and the reason."""
    cert = rev.certificate
    sub = cert.subscriber
    p = sub.person if personal or sub.person is None else without_personal(sub.person)
    req = cert.request
    gender = p.get_gender_display() if p else ""
    fields = [
        FieldLine([Field("Họ và tên thuê bao (viết chữ in hoa)", sub.name.upper()), Field("Giới tính", gender)]),
        FieldLine([Field("Ngày sinh", _d(p.birth_date) if p else ""), Field("Nơi sinh", p.birth_place if p else ""),
                   Field("Quốc tịch", "Việt Nam" if p else "")]),
        FieldLine([Field("Số CMTND/Hộ chiếu", p.id_number if p else ""),
                   Field("Ngày cấp", _d(p.id_issue_date) if p else ""), Field("Nơi cấp", p.id_issue_place if p else "")]),
        FieldLine([Field("Địa chỉ thường trú", p.residence if p else sub.unit.address)]),
        FieldLine([Field("Nơi công tác", sub.unit.name), Field("Điện thoại", p.phone_office if p else sub.unit.phone),
                   Field("Fax", p.fax if p else "")]),
        FieldLine([Field("Chức vụ", p.title if p else ""), Field("Bộ phận", sub.unit.name),
                   Field("Thư điện tử", (req.email if req else (p.email if p else "")))]),
        FieldLine([Field("Di động", p.phone_mobile if p else "")]),
        Paragraph("Đề nghị thu hồi chứng thư số:", bold=True, align="left"),
        FieldLine([Field("Số chứng thư số", cert.serial), Field("Ngày cấp", _d(cert.not_before)),
                   Field("Ngày hết hạn", _d(cert.not_after))]),
        FieldLine([Field("Số hiệu thiết bị lưu khóa", cert.device.serial if cert.device_id else "")]),
        FieldLine([Field("Lý do thu hồi", str(RevocationReason(rev.reason).label))]),
        FieldLine([Field("Nội dung", rev.detail)]),
    ]
    if rev.phone_notice:
        fields.append(FieldLine([Field("Thông báo qua điện thoại", rev.phone_notice)]))
    if rev.device_lost_explanation:
        fields.append(FieldLine([Field("Giải trình mất/hỏng thiết bị", rev.device_lost_explanation)]))
    return OfficialDocument(
        form_label="Mẫu số 05", title="GIẤY ĐỀ NGHỊ THU HỒI CHỨNG THƯ SỐ", recipient=sub.managing_unit.name,
        place=_place(sub.unit), date=rev.requested_on, blocks=fields,
        signatures=[SignatureBlock(["XÁC NHẬN CỦA CƠ QUAN QUẢN LÝ TRỰC TIẾP"], note="(Ký tên, đóng dấu)"),
                    SignatureBlock(["NGƯỜI KHAI"], name=sub.name, note="(Ký và ghi rõ họ, tên)",
                                   date_line=vn_date_phrase(_place(sub.unit), rev.requested_on))])


def outcome_notice(req, until: dt.date | None = None) -> OfficialDocument:
    """Art. 4.2.4: the CA refused (the reason, in writing) or asks for a supplement (complete within 5
    working days)."""
    itc = it_center()
    refused = until is None
    what = "từ chối cấp chứng thư số" if refused else "bổ sung hồ sơ đề nghị cấp chứng thư số"
    blocks = [Paragraph(f"Tổ chức cung cấp dịch vụ chứng thực chữ ký số chuyên dùng đã "
                        f"{'từ chối cấp' if refused else 'đề nghị bổ sung hồ sơ cấp'} chứng thư số cho thuê bao "
                        f"{req.full_name} ({req.unit.name}), hồ sơ số {req.pk}."),
              FieldLine([Field("Lý do" if refused else "Nội dung cần bổ sung", req.guidance)])]
    if not refused:
        blocks.append(Paragraph(f"Đề nghị đơn vị hoàn thiện hồ sơ trong 05 ngày làm việc, chậm nhất ngày "
                                f"{_d(until)}."))
    return OfficialDocument(
        governing_body=GOVERNING, issuer=itc.name.upper(), number="Số: ......../TB-CNTT", title="THÔNG BÁO",
        subtitle=f"Về việc {what}", recipient=req.subscriber.managing_unit.name, place=_place(itc), date=today(),
        blocks=blocks, signatures=[SignatureBlock(["TL. TỔNG GIÁM ĐỐC", "GIÁM ĐỐC TRUNG TÂM CÔNG NGHỆ THÔNG TIN"],
                                                  note="(Ký tên, đóng dấu)")])


def _certificate_of(req):
    cert = req.certificates.order_by("-id").first()
    if cert is None:
        raise InvalidState("lifecycle.request.not_issued", _("No certificate has been issued for this request yet."))
    return cert


def form03_for_request(req) -> OfficialDocument:
    return form03("Cấp mới", giver=it_center(), receiver=req.subscriber.managing_unit, certificate=_certificate_of(req))


def form04_for_request(req) -> OfficialDocument:
    step = Step.objects.filter(subject_type="request", subject_id=req.pk, name="handover_subscriber").first()
    return form04(_certificate_of(req), handed_on=step.done_on if step else None)


def form01_pdf(req) -> bytes:
    return render_pdf(form01(req))


def form02_pdf(lst) -> bytes:
    return render_pdf(form02(lst))


def form03_pdf(kind, **kw) -> bytes:
    return render_pdf(form03(kind, **kw))


def form05_pdf(rev) -> bytes:
    return render_pdf(form05(rev))


DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def render(doc: OfficialDocument, fmt: str) -> tuple[bytes, str]:
    if fmt == "docx":
        return render_docx(doc), DOCX_MEDIA_TYPE
    return render_pdf(doc), "application/pdf"
