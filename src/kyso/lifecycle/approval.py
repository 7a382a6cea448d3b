"""The leadership's approval (Art. 4.2.3): the IT Center lists the valid requests (Form 02) for the
leadership, a leader approves — never one who compiled the list, filed a request in it, or is the
subscriber of one (four eyes, `flows.LIST`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kyso.core import steps
from kyso.core.errors import InvalidState
from kyso.workdays.calendar import today

from . import archive
from .flows import LIST, REQUEST, setting
from .lists import list_number
from .models import IssuanceRequest, RequestList, RequestState as R
from .officers import recorded
from .permissions import LC_REVIEW
from .units import it_center

COMPILE = steps.step("lifecycle.list.compile_approval", perm=LC_REVIEW,
                     label=_("Compile the list for the leadership's approval (Form 02)"))


def compile_approval_list(user, request_ids=None) -> RequestList:
    def body(attempt):
        reqs = IssuanceRequest.objects.filter(state=R.VALID, on_hold="")
        if request_ids:
            reqs = reqs.filter(pk__in=request_ids)
        reqs = list(reqs)
        if not reqs:
            raise InvalidState("lifecycle.list.empty", _("There is nothing confirmed to compile."))
        itc = it_center()
        lst = RequestList.objects.create(unit=itc, is_approval_list=True, created_by=recorded(user),
                                         number=list_number(itc, True), created_on=today())
        LIST.perform("submit", lst, actor=user)
        for req in reqs:
            REQUEST.perform("to_approval", req, actor=user, body=setting(req, approval_list=lst))
        archive.form02(lst)
        archive.tell_leaders(f"Danh sách {lst.number} ({len(reqs)} đề nghị cấp chứng thư số) chờ lãnh đạo phê duyệt.")
        return lst

    return steps.run(COMPILE, body, actor=user)


def approve_list(user, lst: RequestList) -> RequestList:
    """A leader approves the list: every request in it is approved by him."""
    def body(attempt):
        lst.approved_by = recorded(user)
        for req in lst.approval_requests.all():
            REQUEST.perform("approve", req, actor=user, body=setting(req, approved_by=recorded(user)))

    return LIST.perform("approve", lst, actor=user, body=body)
