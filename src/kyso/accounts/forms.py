from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from . import tokens
from .models import MAX_TOKEN_DAYS


class LoginForm(AuthenticationForm):
    """Django's login form with one answer for every refusal: an unknown login, a wrong password, a paused
    address and a locked or disabled account are told apart by nobody."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Wrong user name or password. After %(max)s failed attempts from this address, logging in "
                           "to this account from it is paused for %(minutes)s minutes."),
        "inactive": _("Wrong user name or password. After %(max)s failed attempts from this address, logging in "
                      "to this account from it is paused for %(minutes)s minutes."),
    }

    def get_invalid_login_error(self):
        return forms.ValidationError(
            self.error_messages["invalid_login"], code="invalid_login",
            params={"max": settings.KYSO_LOGIN_MAX_FAILURES, "minutes": settings.KYSO_LOGIN_LOCKOUT_MINUTES},
        )


def scope_choices():
    choices = [("*:read", _("Every area — read")), ("*:write", _("Every area — read and write"))]
    for area, label in tokens.AREAS.items():
        choices.append((f"{area}:read", format_lazy("{} — {}", label, _("read"))))
        choices.append((f"{area}:write", format_lazy("{} — {}", label, _("read and write"))))
    return choices


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, help_text=_("What the token is for, e.g. 'I-VAN gateway'."))
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=MAX_TOKEN_DAYS, initial=MAX_TOKEN_DAYS,
                              help_text=_("At most 90 days."))
    scopes = forms.MultipleChoiceField(label=_("What the token may do"), choices=scope_choices,
                                       widget=forms.CheckboxSelectMultiple,
                                       help_text=_("Choose only what the program needs."))
