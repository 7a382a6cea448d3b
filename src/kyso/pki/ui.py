"""The CA's pages for IT Center officers, leaders and auditors."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kyso.accounts import scope
from kyso.core.errors import Forbidden, KysoError

from . import revocation
from .models import CertificateAuthority, IssuedCertificate
from .permissions import PKI_REVOKE, PKI_VIEW
from .revocation import REASONS


def _require(request, perm):
    if not scope.has_permission_anywhere(request.user, perm):
        raise Forbidden("forbidden", _("You are not allowed to do this."))


@login_required
def index(request):
    _require(request, PKI_VIEW)
    qs = IssuedCertificate.objects.select_related("ca").order_by("-created_at")
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(Q(common_name__icontains=q) | Q(email__icontains=q) | Q(serial__startswith=q.lower()))
    status = request.GET.get("status", "")
    if status:
        qs = qs.filter(status=status)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "pki/index.html", {"cas": CertificateAuthority.objects.all(), "page": page, "q": q, "status": status})


@login_required
def certificate(request, serial):
    _require(request, PKI_VIEW)
    cert = revocation.find(serial)
    if request.method == "POST":
        _require(request, PKI_REVOKE)
        try:
            op = request.POST.get("op")
            if op == "revoke":
                revocation.revoke(serial, request.POST.get("reason", "unspecified"), actor=request.user)
                messages.success(request, _("Certificate revoked; the CRL and OCSP answer it at once."))
            elif op == "suspend":
                revocation.suspend(serial, actor=request.user)
                messages.success(request, _("Certificate suspended."))
            elif op == "release":
                revocation.release(serial, actor=request.user)
                messages.success(request, _("Certificate released."))
        except KysoError as exc:
            messages.error(request, exc.message)
        return redirect("pki:certificate", serial=cert.serial)
    return render(request, "pki/certificate.html", {"cert": cert, "reasons": [r for r in REASONS if r != "certificateHold"],
                                                    "can_revoke": scope.has_permission_anywhere(request.user, PKI_REVOKE)})
