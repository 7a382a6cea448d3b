from django import forms
from django.utils.translation import gettext_lazy as _

from kyso.core import dates

from .models import Person, Unit, UnitLevel


class UnitForm(forms.ModelForm):
    parent = forms.ModelChoiceField(Unit.objects.none(), required=False, label=_("parent unit"))
    level = forms.ModelChoiceField(UnitLevel.objects.all(), label=_("level"))

    class Meta:
        model = Unit
        fields = ["code", "name", "short_name", "level", "parent", "function", "has_own_seal", "address",
                  "email_domain", "phone", "gov_code", "province_name", "is_active"]

    def __init__(self, *args, parent_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = parent_choices if parent_choices is not None else Unit.objects.all()

    def _post_clean(self):
        # Business rules are checked by the service (one place for UI, API and import).
        pass


class PersonForm(forms.ModelForm):
    unit = forms.ModelChoiceField(Unit.objects.none(), label=_("unit"))

    class Meta:
        model = Person
        fields = ["full_name", "gender", "birth_date", "birth_place", "nationality", "id_type", "id_number",
                  "id_issue_date", "id_issue_place", "residence", "title", "unit", "email", "phone_office",
                  "phone_home", "phone_mobile", "fax", "is_active"]
        field_classes = {"birth_date": dates.DateField, "id_issue_date": dates.DateField}

    def __init__(self, *args, unit_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = unit_choices if unit_choices is not None else Unit.objects.all()

    def _post_clean(self):
        # Business rules are checked by the service (one place for UI, API and import).
        pass


class ImportForm(forms.Form):
    KIND_CHOICES = [("staff", _("Staff")), ("units", _("Units"))]
    kind = forms.ChoiceField(label=_("What to import"), choices=KIND_CHOICES)
    file = forms.FileField(label=_("CSV or XLSX file"))
    dry_run = forms.BooleanField(label=_("Only check, do not import"), required=False)
