"""Units of the agency (a tree of any depth; levels are data) and the people in them."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext_lazy as _

from . import validators as v


class UnitLevel(models.Model):
    """A level of the hierarchy (HQ, province office, district office, department...).

    Levels are data because the agency reorganised them in 2025; rules ask flags, not names.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    rank = models.PositiveSmallIntegerField(_("rank"), help_text=_("0 for headquarters, larger further down."))
    manages_subscribers = models.BooleanField(
        _("manages subscribers"), default=True,
        help_text=_("Units of this level confirm requests and compile lists (Decision 508, Art. 2.6)."),
    )
    issues_documents = models.BooleanField(
        _("issues documents"), default=False,
        help_text=_("Units of this level with a seal of their own issue official documents in their own name "
                    "(Decree 30)."),
    )
    receives_dossiers = models.BooleanField(
        _("receives dossiers"), default=False,
        help_text=_("Units of this level with a seal of their own keep a one-stop desk that receives dossiers."),
    )

    class Meta:
        ordering = ["rank", "code"]
        verbose_name = _("unit level")
        verbose_name_plural = _("unit levels")

    def __str__(self):
        return self.name


class UnitFunction(models.TextChoices):
    GENERAL = "general", _("General")
    AGENCY = "agency", _("Agency headquarters")
    IT_CENTER = "it_center", _("IT Center")
    OFFICE = "office", _("Office")
    COLLECTION = "collection", _("Collection")
    BOOK_CARD = "book_card", _("Book and card")
    ONE_STOP = "one_stop", _("One-stop desk")


class UnitQuerySet(models.QuerySet):
    def subtree_of(self, unit: "Unit"):
        return self.filter(path__startswith=unit.path)

    def active(self):
        return self.filter(is_active=True)


class Unit(models.Model):
    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=80, blank=True)
    level = models.ForeignKey(UnitLevel, on_delete=models.PROTECT, related_name="units", verbose_name=_("level"))
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("parent unit"))
    # Materialised path "/1/7/42/": subtree queries are one indexed prefix match.
    path = models.CharField(max_length=500, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    function = models.CharField(_("function"), max_length=20, choices=UnitFunction.choices, default=UnitFunction.GENERAL)
    has_own_seal = models.BooleanField(_("has its own seal"), default=False)
    address = models.CharField(_("address"), max_length=300, blank=True)
    email_domain = models.CharField(_("e-mail domain"), max_length=120, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    gov_code = models.CharField(_("electronic agency code"), max_length=40, blank=True,
                                help_text=_("Code in the national directory of agencies (used in dossier codes)."))
    province_name = models.CharField(_("province / city"), max_length=80, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self):
        return self.name

    # -- tree helpers
    def ancestors(self, include_self=False):
        ids = [int(p) for p in self.path.strip("/").split("/") if p]
        if not include_self:
            ids = ids[:-1]
        by_id = {u.pk: u for u in Unit.objects.filter(pk__in=ids)}
        return [by_id[i] for i in ids if i in by_id]

    def is_in_subtree_of(self, other: "Unit") -> bool:
        return bool(self.path) and self.path.startswith(other.path)

    def descendants(self, include_self=True):
        qs = Unit.objects.filter(path__startswith=self.path)
        return qs if include_self else qs.exclude(pk=self.pk)

    def managing_unit(self) -> "Unit":
        """The nearest unit at or above this one whose level manages subscribers."""
        for unit in reversed(self.ancestors(include_self=True)):
            if unit.level.manages_subscribers:
                return unit
        return self

    def clean(self):
        if self.parent_id and self.pk:
            parent = Unit.objects.filter(pk=self.parent_id).only("path").first()
            if parent and (self.parent_id == self.pk or f"/{self.pk}/" in parent.path):
                raise ValidationError({"parent": _("A unit cannot be placed under itself or its own sub-unit.")})

    def save(self, *args, **kwargs):
        """Keep the materialised path of this unit and its whole subtree in step with `parent`."""
        with transaction.atomic():
            parent_path = "/"
            if self.parent_id:
                parent_path = Unit.objects.filter(pk=self.parent_id).values_list("path", flat=True).first() or "/"
                if self.pk and f"/{self.pk}/" in parent_path:
                    raise ValidationError({"parent": _("A unit cannot be placed under itself or its own sub-unit.")})
            old_path = self.path
            super().save(*args, **kwargs)
            new_path = f"{parent_path}{self.pk}/"
            if new_path != old_path:
                new_depth = new_path.count("/") - 2
                if old_path:
                    # Move: rewrite the prefix of every descendant in one statement.
                    Unit.objects.filter(path__startswith=old_path).exclude(pk=self.pk).update(
                        path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
                        depth=F("depth") + (new_depth - self.depth),
                    )
                Unit.objects.filter(pk=self.pk).update(path=new_path, depth=new_depth)
                self.path, self.depth = new_path, new_depth


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class IdType(models.TextChoices):
    CCCD = v.ID_CCCD, _("Citizen identity card (CCCD)")
    CMND = v.ID_CMND, _("Identity card (CMND)")
    PASSPORT = v.ID_PASSPORT, _("Passport")


class Person(models.Model):
    """A member of staff: the fields that Forms 01 and 05 ask for."""

    full_name = models.CharField(_("full name"), max_length=150)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices)
    birth_date = models.DateField(_("date of birth"))
    birth_place = models.CharField(_("place of birth"), max_length=200)
    nationality = models.CharField(_("nationality"), max_length=80, default="Việt Nam")
    id_type = models.CharField(_("identity document"), max_length=10, choices=IdType.choices, default=IdType.CCCD)
    id_number = models.CharField(_("identity number"), max_length=20)
    id_issue_date = models.DateField(_("issue date"))
    id_issue_place = models.CharField(_("place of issue"), max_length=200)
    residence = models.CharField(_("permanent residence"), max_length=300, blank=True)
    title = models.CharField(_("title"), max_length=150, blank=True)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="people", verbose_name=_("unit"))
    email = models.EmailField(_("government e-mail"), unique=True)
    phone_office = models.CharField(_("office phone"), max_length=20, blank=True)
    phone_home = models.CharField(_("home phone"), max_length=20, blank=True)
    phone_mobile = models.CharField(_("mobile phone"), max_length=20, blank=True)
    fax = models.CharField(_("fax"), max_length=20, blank=True)
    is_active = models.BooleanField(_("in service"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["unit__path", "full_name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.UniqueConstraint(fields=["id_type", "id_number"], name="org_person_unique_id"),
        ]
        indexes = [models.Index(fields=["full_name"]), models.Index(fields=["unit", "is_active"])]

    def __str__(self):
        return f"{self.full_name} ({self.title})" if self.title else self.full_name

    def validation_errors(self) -> dict:
        """{field: (code, message)} for the business rules beyond field types."""
        errors = v.id_errors(self.id_type, self.id_number, birth_date=self.birth_date, gender=self.gender,
                             issue_date=self.id_issue_date, issue_place=self.id_issue_place)
        if (e := v.birth_date_error(self.birth_date)):
            errors["birth_date"] = e
        if (e := v.government_email_error(self.email)):
            errors["email"] = e
        for f in ("phone_office", "phone_home", "phone_mobile", "fax"):
            if (e := v.phone_error(getattr(self, f))):
                errors[f] = e
        if not (self.full_name or "").strip():
            errors["full_name"] = ("org.name_missing", _("The full name is required."))
        if self.gender not in Gender.values:
            errors["gender"] = ("org.gender", _("Gender must be male or female."))
        return errors

    def clean(self):
        errors = self.validation_errors()
        if errors:
            raise ValidationError({k: ValidationError(msg, code=code) for k, (code, msg) in errors.items()})




class ContactChangeState(models.TextChoices):
    PENDING = "pending", _("Waiting for confirmation")
    APPLIED = "applied", _("Applied")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Expired")


class ContactChange(models.Model):
    """A change of the e-mail or mobile phone that receives a person's one-time codes.

    It is a sensitive act (issue 16.1): it waits until the person confirms it with a code sent to the
    old channel, or until a second officer — not the one who asked — approves it."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="contact_changes",
                               verbose_name=_("person"))
    field = models.CharField(_("contact"), max_length=20)
    old_value = models.CharField(_("old value"), max_length=254, blank=True)
    new_value = models.CharField(_("new value"), max_length=254)
    state = models.CharField(_("state"), max_length=12, choices=ContactChangeState.choices,
                             default=ContactChangeState.PENDING)
    requested_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("requested by"))
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    code_hash = models.CharField(max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    expires_at = models.DateTimeField(_("expires at"))
    decided_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    method = models.CharField(_("confirmed by"), max_length=20, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("contact change")
        verbose_name_plural = _("contact changes")
        indexes = [models.Index(fields=["person", "state"])]

    def __str__(self):
        return f"{self.person} · {self.field}"


class DutyException(models.Model):
    """An explicit exception to the four-eyes rule for a unit that really has one officer (issue 16, finding 3).

    Set only by the IT Center, with its reason and an end date, audited; while it holds, an officer holding a
    role at `unit` may do both steps of the pair on records of that unit."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="duty_exceptions", verbose_name=_("unit"))
    step = models.CharField(_("step"), max_length=120, help_text=_("The step allowed to the same person."))
    other = models.CharField(_("earlier step"), max_length=120, help_text=_("The step he already did."))
    reason = models.TextField(_("reason"))
    valid_until = models.DateField(_("valid until"))
    set_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("set by"))
    set_at = models.DateTimeField(_("set at"), auto_now_add=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        ordering = ["-set_at"]
        verbose_name = _("four-eyes exception")
        verbose_name_plural = _("four-eyes exceptions")

    def __str__(self):
        return f"{self.unit} · {self.other} → {self.step}"
