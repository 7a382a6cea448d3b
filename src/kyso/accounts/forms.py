from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import User


class LoginForm(AuthenticationForm):
    """Django's login form that also says when (and until when) an account is locked."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Wrong user name or password. After %(max)s failed attempts the account is locked for %(minutes)s minutes."),
        "locked": _("This account is locked after repeated failed logins until %(until)s."),
    }

    def clean(self):
        username = self.cleaned_data.get("username")
        user = User.objects.filter(username=username).first() if username else None
        if user is not None and user.is_locked():
            until = timezone.localtime(user.locked_until).strftime("%H:%M %d/%m/%Y")
            raise forms.ValidationError(self.error_messages["locked"], code="locked", params={"until": until})
        return super().clean()

    def get_invalid_login_error(self):
        from django.conf import settings

        return forms.ValidationError(
            self.error_messages["invalid_login"], code="invalid_login",
            params={"max": settings.KYSO_LOGIN_MAX_FAILURES, "minutes": settings.KYSO_LOGIN_LOCKOUT_MINUTES},
        )


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, help_text=_("What the token is for, e.g. 'I-VAN gateway'."))
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=730, initial=90)
