from django import forms
from django.utils.translation import gettext_lazy as _

from kyso.core import dates

from .models import Person, Unit, UnitLevel


class ServiceForm(forms.ModelForm):
    """A form whose record the service checks and saves (one place for UI, API and import): the model's own
    checks are not run here. Its unit field (`unit_field`) offers the units in `units` — the person's scope."""

    unit_field = "unit"

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[self.unit_field].queryset = units if units is not None else Unit.objects.all()

    def _post_clean(self):
        pass


class UnitForm(ServiceForm):
    unit_field = "parent"
    parent = forms.ModelChoiceField(Unit.objects.none(), required=False, label=_("parent unit"))
    level = forms.ModelChoiceField(UnitLevel.objects.all(), label=_("level"))

    class Meta:
        model = Unit
        fields = ["code", "name", "short_name", "level", "parent", "function", "has_own_seal", "address",
                  "email_domain", "phone", "gov_code", "province_name", "is_active"]


class PersonForm(ServiceForm):
    unit = forms.ModelChoiceField(Unit.objects.none(), label=_("unit"))

    class Meta:
        model = Person
        fields = ["full_name", "gender", "birth_date", "birth_place", "nationality", "id_type", "id_number",
                  "id_issue_date", "id_issue_place", "residence", "title", "unit", "email", "phone_office",
                  "phone_home", "phone_mobile", "fax", "is_active"]
        field_classes = {"birth_date": dates.DateField, "id_issue_date": dates.DateField}


class ImportForm(forms.Form):
    KIND_CHOICES = [("staff", _("Staff")), ("units", _("Units"))]
    kind = forms.ChoiceField(label=_("What to import"), choices=KIND_CHOICES)
    file = forms.FileField(label=_("CSV or XLSX file"))
    dry_run = forms.BooleanField(label=_("Only check, do not import"), required=False)
