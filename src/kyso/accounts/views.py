from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kyso.core.errors import KysoError
from kyso.core.paging import page_of

from . import services
from . import tokens as token_rules
from .forms import LoginForm, TokenForm


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


@login_required
def tokens(request):
    form = TokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_key = services.issue_token(request.user, form.cleaned_data["name"], form.cleaned_data["days"],
                                                   form.cleaned_data["scopes"])
            messages.success(request, _("Token created. Copy it now: it will not be shown again."))
        except KysoError as exc:
            form.add_error(None, exc.message)
    return render(request, "accounts/tokens.html", {
        "form": form, "new_key": new_key,
        "tokens": [(t, token_rules.describe(t)) for t in request.user.api_tokens.order_by("-created_at")],
        "manages": token_rules.managed(request.user).exists(),
    })


@login_required
def managed_tokens(request):
    """The administrator's page: the tokens of the accounts he manages, each revocable."""
    tokens = page_of(request, token_rules.managed(request.user).order_by("revoked_at", "-created_at"))
    return render(request, "accounts/managed_tokens.html", {"tokens": [(t, token_rules.describe(t)) for t in tokens],
                                                            "page": tokens})


@login_required
@require_POST
def revoke_token(request, key_id):
    try:
        services.revoke_token(request.user, key_id)
        messages.success(request, _("Token revoked."))
    except KysoError as exc:
        messages.error(request, exc.message)
    return redirect("accounts:managed-tokens" if request.POST.get("back") == "managed" else "accounts:tokens")
