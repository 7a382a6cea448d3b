from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kyso.core import authz as scope
from kyso.core.errors import Forbidden, KysoError

from . import chain, display, privacy, queries
from .permissions import AUDIT_VERIFY, AUDIT_VIEW

PAGE = 50


@login_required
def record_list(request):
    if not scope.has_permission_anywhere(request.user, AUDIT_VIEW):
        raise Forbidden("forbidden", _("You are not allowed to do this."))
    try:
        qs = queries.filtered(queries.visible_records(request.user), request.GET)
    except KysoError as exc:  # a date that is not dd/mm/yyyy: say so, show everything else
        messages.error(request, exc.message)
        qs = queries.visible_records(request.user)
    before = request.GET.get("before")
    if before and before.isdigit():
        qs = qs.filter(seq__lt=int(before))
    records = list(qs.order_by("-seq")[:PAGE + 1])
    more = len(records) > PAGE
    records = records[:PAGE]
    params = request.GET.copy()
    params.pop("before", None)
    return render(request, "audit/list.html", {
        "records": records, "next_before": records[-1].seq if more else None, "params": params.urlencode(),
        "can_verify": scope.has_permission_anywhere(request.user, AUDIT_VERIFY), "f": request.GET,
    })


@login_required
def record_detail(request, seq):
    rec = queries.visible_records(request.user).filter(seq=seq).first()
    if rec is None:
        raise Http404
    if privacy.screen(request.user, [rec], via="audit.page"):   # personal data he may not see: masked (issue 16)
        rec.before, rec.after = privacy.masked(rec.before), privacy.masked(rec.after)   # shown only, never saved
    return render(request, "audit/detail.html", {"rec": rec, "diff": display.changes(rec)})


@login_required
@require_POST
def verify_view(request):
    if not scope.has_permission_anywhere(request.user, AUDIT_VERIFY):
        raise Forbidden("forbidden", _("You are not allowed to do this."))
    report = chain.verify()
    return render(request, "audit/verify.html", {"report": report})
