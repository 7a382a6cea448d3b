import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kyso.accounts import roles as perms
from kyso.accounts import scope
from kyso.core import dates
from kyso.core.errors import Forbidden, KysoError

from . import calendar, services
from .models import DayKind, DayOverride


class CalcForm(forms.Form):
    start = dates.DateField(label=gettext_lazy("From"))
    days = forms.IntegerField(label=gettext_lazy("Working days"), min_value=0, max_value=calendar.MAX_WORKING_DAYS, required=False)
    end = dates.DateField(label=gettext_lazy("To"), required=False)


class OverrideForm(forms.Form):
    date = dates.DateField(label=gettext_lazy("date"))
    kind = forms.ChoiceField(label=gettext_lazy("kind"), choices=DayKind.choices)
    name = forms.CharField(label=gettext_lazy("name"), max_length=200)
    legal_basis = forms.CharField(label=gettext_lazy("legal basis"), max_length=200, required=False)


@login_required
def index(request):
    year = int(request.GET.get("year") or calendar.today().year)
    year = min(max(year, 2000), 2100)
    form = CalcForm(request.GET if "start" in request.GET else None)
    result = None
    if form.is_bound and form.is_valid():
        try:
            start = form.cleaned_data["start"]
            if form.cleaned_data.get("days") is not None:
                result = {"kind": "add", "start": start, "days": form.cleaned_data["days"],
                          "date": calendar.add_working_days(start, form.cleaned_data["days"])}
            elif form.cleaned_data.get("end"):
                result = {"kind": "between", "start": start, "end": form.cleaned_data["end"],
                          "count": calendar.working_days_between(start, form.cleaned_data["end"])}
        except KysoError as exc:
            form.add_error(None, exc.message)
    can_manage = scope.has_permission_anywhere(request.user, perms.WORKDAYS_MANAGE)
    return render(request, "workdays/index.html", {
        "form": form, "result": result, "year": year, "days": calendar.days_off(year),
        "overrides": DayOverride.objects.filter(date__year=year), "can_manage": can_manage,
        "override_form": OverrideForm() if can_manage else None, "prev_year": year - 1, "next_year": year + 1,
    })


@login_required
def override(request):
    if not scope.has_permission_anywhere(request.user, perms.WORKDAYS_MANAGE):
        raise Forbidden("forbidden", _("You are not allowed to do this."))
    form = OverrideForm(request.POST or None)
    if request.method == "POST":
        if request.POST.get("remove"):
            services.remove_override(request.POST["remove"])
            messages.success(request, _("Override removed."))
            return redirect("workdays:index")
        if form.is_valid():
            ov = services.set_override(form.cleaned_data["date"], form.cleaned_data["kind"], form.cleaned_data["name"],
                                       form.cleaned_data["legal_basis"])
            messages.success(request, _("Saved: %(ov)s") % {"ov": ov})
            return redirect(f"{reverse('workdays:index')}?year={ov.date.year}")
    return render(request, "workdays/override.html", {"form": form})
