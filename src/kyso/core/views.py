"""Home page (what waits for this person), health check, error pages."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig
from django.db import connection, transaction
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import authz, steps, workflow
from .api.errors import is_api, json_error
from .inbox import items_for

QUEUE_PAGE = 50

@login_required
def home(request):
    items = items_for(request.user)
    return render(request, "core/home.html", {
        "items": items,
        "overdue": sum(i.overdue for i in items),
        "perms": authz.permissions(request.user),
        "roles": authz.role_labels(request.user),
    })


@transaction.non_atomic_requests
@never_cache
@require_GET
def healthz(request):
    ok, detail = True, "ok"
    try:
        with connection.cursor() as cur:
            cur.execute("SELECT 1")
            cur.fetchone()
    except Exception as exc:  # noqa: BLE001 - report, never crash the probe
        ok, detail = False, exc.__class__.__name__
    body = {
        "status": "ok" if ok else "error",
        "database": {"status": detail, "vendor": connection.vendor},
        "version": settings.KYSO_VERSION,
        "time": timezone.now().isoformat(),
    }
    return JsonResponse(body, status=200 if ok else 503)


def error_400(request, exception=None):
    """A request Django refused before any view (a body over the limit, too many fields): JSON on the API."""
    too_large = isinstance(exception, RequestDataTooBig)
    if is_api(request):
        return json_error("request_too_large", 413) if too_large else json_error("malformed_request", 400)
    return render(request, "core/400.html", status=413 if too_large else 400)


def csrf_failure(request, reason=""):
    """A form sent without its anti-forgery token — most often a page left open past its session, or a login page
    reopened from the history: Django's own answer is an English page, so say it in words and how to go on."""
    if is_api(request):
        return json_error("csrf_failed", 403)
    return render(request, "core/403_csrf.html", {"again": request.path if request.method == "POST" else "/"},
                  status=403)


def error_404(request, exception=None):
    if is_api(request):
        return json_error("not_found", 404)
    return render(request, "core/404.html", status=404)


def error_403(request, exception=None):
    if is_api(request):
        return json_error("forbidden", 403)
    return render(request, "core/403.html", status=403)


def error_500(request):
    if is_api(request):
        return json_error("server_error", 500)
    return render(request, "core/500.html", status=500)


@login_required
def tasks(request, flow: str = "", step: str = ""):
    """What waits for this person at every step of every workflow, with deadlines and overdue marks; or the
    whole queue of one step."""
    entries = workflow.work_for(request.user)
    if flow:
        entries = [e for e in entries if e.workflow.name == flow and e.transition.name == step]
        if not entries:
            raise Http404
        entry = entries[0]
        # Keyset pages (the records after the last one shown): no COUNT(*) or OFFSET over a long queue.
        after = request.GET.get("after", "")
        qs = entry.workflow.queue_for(request.user, entry.transition).order_by("pk")
        if after.isdigit():
            qs = qs.filter(pk__gt=int(after))
        records = list(qs[:QUEUE_PAGE + 1])
        more = len(records) > QUEUE_PAGE
        records = records[:QUEUE_PAGE]
        return render(request, "core/queue.html", {
            "entry": entry, "rows": entry.rows(records), "first": not after.isdigit(),
            "next_after": records[-1].pk if more else None})
    return render(request, "core/tasks.html", {"entries": entries})
