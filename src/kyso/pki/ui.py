"""The CA's pages for IT Center officers, leaders and auditors."""

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kyso.accounts import scope
from kyso.core.actions import act
from kyso.core.errors import Forbidden
from kyso.core.paging import page_of

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
    page = page_of(request, qs)
    return render(request, "pki/index.html", {"cas": CertificateAuthority.objects.all(), "page": page, "q": q, "status": status})


_OPS = {
    "revoke": (lambda request, serial: revocation.revoke(serial, request.POST.get("reason", "unspecified"),
                                                         actor=request.user),
               gettext_lazy("Certificate revoked; the CRL and OCSP answer it at once.")),
    "suspend": (lambda request, serial: revocation.suspend(serial, actor=request.user), gettext_lazy("Certificate suspended.")),
    "release": (lambda request, serial: revocation.release(serial, actor=request.user), gettext_lazy("Certificate released.")),
}


def _may_change(user) -> bool:
    """Revoke, suspend and release are agency-wide steps: offered to whom holds the right at the agency's root."""
    return scope.can(user, PKI_REVOKE, scope.agency_root())


@login_required
def certificate(request, serial):
    _require(request, PKI_VIEW)
    cert = revocation.find(serial)
    if request.method == "POST":
        op = _OPS.get(request.POST.get("op", ""))
        if op is not None:   # the step runner checks the right, audits, rolls a refusal back; `act` shows its error
            change, done = op
            act(request, lambda: change(request, cert.serial), success=done)
        return redirect("pki:certificate", serial=cert.serial)
    return render(request, "pki/certificate.html", {"cert": cert, "reasons": [r for r in REASONS if r != "certificateHold"],
                                                    "can_revoke": _may_change(request.user),
                                                    # his own suspended certificate is released by another officer
                                                    "can_release": revocation.holder_of(cert) != request.user})
