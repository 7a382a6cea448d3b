"""Form 02 up the hierarchy (Art. 4.2.2): a managing unit compiles its confirmed requests and the lists its
lower units sent it, and sends the list up — district → province → IT Center; units under the
headquarters (and the IT Center itself) send straight to the IT Center, which receives the list and owes
its review of every request within 3 working days."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kyso.core import steps
from kyso.core.errors import InvalidState
from kyso.org.models import Unit
from kyso.workdays.calendar import today

from . import archive, deadlines
from .flows import LIST, REQUEST, refused, setting
from .models import IssuanceRequest, ListState, RequestList, RequestState as R
from .officers import officer_perm, recorded
from .units import it_center, kept_by_it_center, next_up


def list_number(unit: Unit, approval: bool) -> str:
    n = RequestList.objects.filter(unit=unit).count() + 1
    return f"{n:02d}/{today():%Y}/{'DSPD' if approval else 'DS'}-{unit.code}"


def compile_list(user, unit: Unit, request_ids=None, child_list_ids=None) -> RequestList:
    """A managing unit compiles its confirmed requests (not those on hold) and the lists its lower units sent
    it into its own Form 02 list."""
    def body(attempt):
        reqs = IssuanceRequest.objects.filter(subscriber__managing_unit=unit, state=R.CONFIRMED, on_hold="")
        if request_ids:
            reqs = reqs.filter(pk__in=request_ids)
        children = RequestList.objects.none() if kept_by_it_center(unit) else \
            RequestList.objects.filter(sent_to=unit, state=ListState.SENT, parent__isnull=True)
        if child_list_ids is not None:
            children = children.filter(pk__in=child_list_ids)
        reqs, children = list(reqs), list(children)
        if not reqs and not children:
            raise InvalidState("lifecycle.list.empty", _("There is nothing confirmed to compile."))
        lst = RequestList.objects.create(unit=unit, number=list_number(unit, False), created_by=recorded(user),
                                         created_on=today())
        for req in reqs:
            REQUEST.perform("list", req, actor=user, body=setting(req, unit_list=lst))
        for child in children:
            LIST.perform("compile_into", child, actor=user, body=setting(child, parent=lst))
        return lst

    step = steps.step("lifecycle.list.compile", perm=officer_perm(unit), label=_("Compile the unit's list (Form 02)"))
    return steps.run(step, body, actor=user, unit=unit)


def send_list(user, lst: RequestList) -> RequestList:
    """The list goes up to the next managing unit (or the IT Center), with its Form 02 archived."""
    def body(attempt):
        lst.sent_to = next_up(lst.unit)
        lst.sent_on = today()
        archive.form02(lst)
        archive.tell_unit(lst.sent_to, f"Danh sách đề nghị cấp chứng thư số {lst.number} của {lst.unit.name} "
                                       f"đã được gửi đến.")

    return LIST.perform("send", lst, actor=user, body=body)


def receive_list(user, lst: RequestList) -> RequestList:
    """The IT Center receives a list: its review of every request is due within 3 working days."""
    if lst.sent_to_id != it_center().pk:
        raise refused(InvalidState("lifecycle.list.not_for_it_center", _("This list was not sent to the IT Center.")))

    def body(attempt):
        for req in lst.all_requests():
            REQUEST.perform("receive", req, actor=user)
            deadlines.open_step("request", req.pk, "it_review", it_center())

    return LIST.perform("receive", lst, actor=user, body=body)
