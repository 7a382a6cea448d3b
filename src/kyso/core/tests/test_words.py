"""What a person reads instead of codes, and the right word where two apps share an English one (issue 17,
points 2 and 3): the catalogues of all apps are merged at run time, so an English word translated two ways
shows the first app's meaning everywhere — the e-office plan (KH) read "Gói" (a SIM data plan), the report (BC)
"Kết quả" (an import result), a review result "Có hiệu lực" (a certificate status)."""

import collections
import datetime as dt
from pathlib import Path

import polib
import pytest
from cryptography import x509
from cryptography.x509.oid import NameOID
from django.template import Context, Template
from django.utils import translation
from django.utils.translation import gettext, pgettext

import kyso
from kyso.core import display, pagecheck
from kyso.eoffice.models import IncomingState, OutgoingDocument
from kyso.lifecycle.models import ListState
from kyso.mobile.models import RequestState
from kyso.notify.models import Status

CATALOGUES = sorted(Path(kyso.__file__).parent.glob("**/locale/vi/LC_MESSAGES/django.po"))
# Django merges the catalogues of all apps and the first one wins: an English msgid (without a context) that two
# apps translate differently shows one app's words on the other's pages. Two different translations are allowed
# only for true synonyms named here, each with the reason; anything else gets a context (pgettext) or one wording.
SYNONYMS: dict[str, str] = {}
@pytest.fixture
def vi():
    with translation.override("vi"):
        yield


def test_plan_report_and_valid_mean_what_the_page_means(vi):
    assert gettext("Plan") == "Kế hoạch"                                  # e-office KH
    assert pgettext("SIM data plan", "Plan") == "Gói cước"
    assert gettext("Report") == "Báo cáo"                                 # e-office BC
    assert gettext("Valid") == "Hợp lệ"                                   # a review result, a signature
    assert pgettext("certificate status", "Valid") == "Có hiệu lực"


def test_document_kinds_and_statuses_render_in_vietnamese(vi):
    from kyso.eoffice.models import DocType
    from kyso.pki.models import CertStatus

    assert str(DocType.KE_HOACH.label) == "Kế hoạch"
    assert str(DocType.BAO_CAO.label) == "Báo cáo"
    assert str(CertStatus.GOOD.label) == "Có hiệu lực"


def test_no_new_english_word_with_two_meanings():
    seen = collections.defaultdict(dict)
    for path in CATALOGUES:
        for entry in polib.pofile(str(path)).translated_entries():
            if not entry.msgctxt:
                seen[entry.msgid][path.parts[-5]] = entry.msgstr
    clashes = {msgid: apps for msgid, apps in seen.items()
               if msgid not in SYNONYMS and len(set(apps.values())) > 1}
    assert not clashes, f"translated differently by two apps (add a context or use one wording): {clashes}"


def test_no_library_catalogue_changes_kyso_words(vi):
    """Django's and the libraries' catalogues are merged with Kyso's: listed before Kyso's apps, they won for the
    words they share — the e-office and SIM pages read "Bản ghi nhớ" (a memorandum) for their history, a letter's
    summary "Tóm tắt" instead of "Trích yếu", the menu "Thoát" instead of "Đăng xuất"."""
    changed = {}
    for path in CATALOGUES:
        for entry in polib.pofile(str(path)).translated_entries():
            if entry.msgid_plural:
                continue
            shown = pgettext(entry.msgctxt, entry.msgid) if entry.msgctxt else gettext(entry.msgid)
            if shown != entry.msgstr:
                changed[(path.parts[-5], entry.msgctxt, entry.msgid)] = (entry.msgstr, shown)
    assert not changed, changed
    assert gettext("History") == "Lịch sử" and gettext("Summary") == "Trích yếu" and gettext("Log out") == "Đăng xuất"


def test_states_issue_dates_outcomes_and_holders_read_as_their_page_means(vi):
    """The words a reader saw with another app's meaning (issue 17, point 3): a state is a state, not a verb; a
    document's issue date is its date of promulgation; a handled letter's outcome is not a signature check's;
    a SIM's holder is its user and a signing credential's holder the signer."""
    assert str(RequestState.SIGNED.label) == "Đã ký"
    assert str(ListState.SENT.label) == str(Status.SENT.label) == "Đã gửi"
    assert str(IncomingState.ASSIGNED.label) == "Đã phân công"
    assert str(OutgoingDocument._meta.get_field("issued_on").verbose_name) == "ngày ban hành"
    assert gettext("Outcome") == "Kết quả xử lý"                                   # e-office incoming letter
    assert pgettext("signature check", "Outcome") == "Kết quả kiểm tra"
    assert pgettext("SIM", "Holder") == "Người sử dụng"
    assert pgettext("signing credential", "Holder") == "Người ký"
    assert gettext("Holder") == "Người giữ"                                         # a key device


def test_indications_in_words_with_the_reason(vi):
    assert display.indication("TOTAL_PASSED") == "Hợp lệ"
    assert display.indication("TOTAL_FAILED") == "Không hợp lệ"
    assert display.indication("INDETERMINATE") == "Chưa xác định"
    assert display.verdict("TOTAL_FAILED", "HASH_FAILURE") == "Không hợp lệ: văn bản đã bị thay đổi sau khi ký"
    assert display.in_words("INDETERMINATE NO_CERTIFICATE_CHAIN_FOUND") == \
        "Chưa xác định: chứng thư số của người ký không dẫn tới chứng thư gốc được chấp nhận"
    for code in ("TOTAL_PASSED", "TOTAL_FAILED", "INDETERMINATE", *display.SUB_INDICATIONS):
        shown = display.in_words(code)
        assert not pagecheck.problems(f"<p>{shown}</p>"), (code, shown)


def test_revocation_reasons_in_words(vi):
    from kyso.pki.reasons import REASONS

    for code in REASONS:
        shown = display.revocation_reason(code)
        assert shown != code and not pagecheck.problems(f"<p>{shown}</p>"), (code, shown)
    assert display.revocation_reason("keyCompromise") == "khóa bí mật bị lộ hoặc nghi bị lộ"


def test_distinguished_names_name_each_attribute(vi):
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Nguyễn Văn An"),
                      x509.NameAttribute(NameOID.TITLE, "Giám đốc"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "BHXH Hà Nội, Việt Nam"),
                      x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")])
    text = name.rfc4514_string()
    assert "2.5.4.12=" in text                                           # what the page used to show
    expected = "Quốc gia: VN · Cơ quan: BHXH Hà Nội, Việt Nam · Chức danh: Giám đốc · Tên: Nguyễn Văn An"
    assert display.distinguished_name(text) == expected
    assert display.distinguished_name(name) == "Tên: Nguyễn Văn An · Chức danh: Giám đốc · " \
                                                "Cơ quan: BHXH Hà Nội, Việt Nam · Quốc gia: VN"
    assert not pagecheck.problems(f"<p>{display.distinguished_name(text)}</p>")


def test_times_and_months_as_people_write_them(vi):
    assert display.when("2026-12-06T05:23:29+00:00") == "06/12/2026 12:23"
    assert display.when(dt.datetime(2026, 12, 6, 5, 23, 29, tzinfo=dt.timezone.utc), seconds=True) == \
        "06/12/2026 12:23:29"
    assert display.when("2026-12-06") == "06/12/2026"
    assert display.month("2026-03") == "03/2026"
    assert display.month(dt.date(2026, 3, 31)) == "03/2026"


def test_filters_need_no_load_tag(vi):
    html = Template("{{ a|indication }}|{{ b|verdict:c }}|{{ d|dn }}|{{ t|when }}|{{ m|month }}|{{ r|revocation_reason }}"
                    ).render(Context({"a": "TOTAL_PASSED", "b": "INDETERMINATE", "c": "TRY_LATER",
                                      "d": "CN=A,2.5.4.12=Kế toán", "t": "2026-01-02T03:04:05+07:00", "m": "2026-01",
                                      "r": "superseded"}))
    assert html == ("Hợp lệ|Chưa xác định: chưa có thông tin thu hồi; hãy thử lại sau|Tên: A · Chức danh: Kế toán|"
                    "02/01/2026 03:04|01/2026|được thay bằng chứng thư số mới")
    assert not pagecheck.problems(f"<p>{html}</p>")


def test_page_checker_sees_codes_written_as_one_word():
    kinds = {str(p) for p in pagecheck.problems("<td>INDETERMINATE</td><td>registered</td><td>superseded</td>"
                                                "<td>mau-01-de-nghi-5.pdf (74191cf22be5…)</td>")}
    assert kinds == {"code: 'INDETERMINATE'", "english: 'registered'", "code: 'superseded'"}


def test_page_checker_sees_keys_written_as_identifiers():
    """A column or a step named by its key (`parent_code`, `it_review`) is a code; a file name is not."""
    found = {str(p) for p in pagecheck.problems("<td>parent_code</td><td>Bước: it_review</td>"
                                                "<td>mau_01_de_nghi.pdf</td><td>x@ha_noi.vn</td>")}
    assert found == {"code: 'parent_code'", "code: 'it_review'"}
