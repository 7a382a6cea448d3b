"""Home page (what waits for this person), health check, error pages."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection, transaction
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from kyso.core.inbox import items_for


@login_required
def home(request):
    from kyso.accounts import scope

    items = items_for(request.user)
    return render(request, "core/home.html", {
        "items": items,
        "overdue": sum(i.overdue for i in items),
        "perms": scope.permissions(request.user),
        "roles": scope.role_labels(request.user),
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


def error_404(request, exception=None):
    return render(request, "core/404.html", status=404)


def error_403(request, exception=None):
    return render(request, "core/403.html", status=403)


def error_500(request):
    return render(request, "core/500.html", status=500)
