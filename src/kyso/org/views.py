"""Org UI: the unit tree, unit and staff records, imports. Thin: services do the work."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from kyso.core import authz as scope
from kyso.core import actions
from kyso.core.errors import Forbidden, KysoError
from kyso.core.paging import page_of

from . import contacts, importing, privacy, services
from .forms import ImportForm, PersonForm, UnitForm
from . import permissions as perms
from .models import ContactChange, Person, Unit


def _require(request, perm):
    if not scope.has_permission_anywhere(request.user, perm):
        raise Forbidden("forbidden", _("You are not allowed to do this."))


def _visible_units(user, perm=perms.ORG_VIEW_UNIT):
    return scope.filter_by_scope(Unit.objects.select_related("level"), user, perm, "path")


@login_required
def unit_tree(request):
    _require(request, perms.ORG_VIEW_UNIT)
    units = list(_visible_units(request.user).annotate(staff=Count("people", filter=Q(people__is_active=True))))
    q = request.GET.get("q", "").strip()
    if q:
        units = [u for u in units if q.lower() in u.name.lower() or q.lower() in u.code.lower()]
    base_depth = min((u.depth for u in units), default=0)
    for u in units:
        u.indent = u.depth - base_depth
        u.indent_px = u.indent * 18
    return render(request, "org/unit_tree.html", {"units": units, "q": q,
                                                  "can_manage": scope.has_permission_anywhere(request.user, perms.ORG_MANAGE_UNIT)})


def _unit_or_404(request, code, perm=perms.ORG_VIEW_UNIT):
    unit = get_object_or_404(Unit.objects.select_related("level", "parent"), code=code)
    if not scope.can(request.user, perm, unit):
        raise Http404
    return unit


@login_required
def unit_detail(request, code):
    unit = _unit_or_404(request, code)
    children = unit.children.select_related("level").order_by("code")
    people = unit.people.order_by("full_name") if scope.can(request.user, perms.ORG_VIEW_PERSON, unit) else None
    return render(request, "org/unit_detail.html", {
        "unit": unit, "children": children, "people": people,
        # the path above the unit: a link only where the person may open the unit (else its name alone)
        "ancestors": [(a, scope.can(request.user, perms.ORG_VIEW_UNIT, a)) for a in unit.ancestors()],
        "can_manage": scope.can(request.user, perms.ORG_MANAGE_UNIT, unit),
        "can_add_person": scope.can(request.user, perms.ORG_MANAGE_PERSON, unit),
    })


@login_required
def unit_edit(request, code=None):
    _require(request, perms.ORG_MANAGE_UNIT)
    unit = _unit_or_404(request, code, perms.ORG_MANAGE_UNIT) if code else None
    form = UnitForm(request.POST or None, instance=unit, units=_visible_units(request.user, perms.ORG_MANAGE_UNIT),
                    initial={"parent": request.GET.get("parent")} if not unit else None)
    if request.method == "POST" and form.is_valid():
        data = {**form.cleaned_data}
        saved = actions.act(request, lambda: services.update_unit(Unit.objects.get(pk=unit.pk), data, actor=request.user)
                            if unit else services.create_unit(data, actor=request.user),
                            success=_("Unit saved."), form=form)
        if saved:
            return redirect("org:unit", code=saved.code)
    return render(request, "org/form.html", {"form": form, "title": _("Edit unit") if unit else _("New unit")})


@login_required
def person_list(request):
    _require(request, perms.ORG_VIEW_PERSON)
    qs = scope.filter_by_scope(Person.objects.select_related("unit"), request.user, perms.ORG_VIEW_PERSON)
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(privacy.search_q(request.user, q))
    unit_code = request.GET.get("unit", "")
    if unit_code:
        unit = Unit.objects.filter(code=unit_code).first()
        qs = qs.filter(unit__path__startswith=unit.path) if unit else qs.none()
    page = page_of(request, qs.order_by("unit__path", "full_name"))
    return render(request, "org/person_list.html", {
        "page": page, "q": q, "unit_code": unit_code,
        "can_add": scope.has_permission_anywhere(request.user, perms.ORG_MANAGE_PERSON),
        "can_import": scope.has_permission_anywhere(request.user, perms.ORG_IMPORT),
    })


def _person_or_404(request, pk, perm=perms.ORG_VIEW_PERSON):
    person = get_object_or_404(Person.objects.select_related("unit"), pk=pk)
    if not scope.can(request.user, perm, person.unit):
        if getattr(request.user, "person_id", None) == person.pk and perm == perms.ORG_VIEW_PERSON:
            return person  # everyone may see his own record
        raise Http404
    return person


@login_required
def person_detail(request, pk):
    person = _person_or_404(request, pk)
    full = bool(privacy.reveal(request.user, [person], via="page.detail"))
    return render(request, "org/person_detail.html", {
        "person": person, "can_edit": scope.can(request.user, perms.ORG_MANAGE_PERSON, person.unit),
        "personal": privacy.fields_for_page(person, full),
        "contact_changes": contacts.pending_changes(person).select_related("requested_by"),
    })


@login_required
def contact_change(request, pk):
    """One change of a contact channel: the person confirms with the code, a second officer approves,
    either of them (or the officer who asked) cancels."""
    change = get_object_or_404(ContactChange.objects.select_related("person__unit", "requested_by"), pk=pk)
    own = change.person_id == request.user.person_id
    officer = scope.can(request.user, perms.ORG_MANAGE_PERSON, change.person.unit)
    if not (own or officer):
        raise Http404
    if request.method == "POST":
        verb = request.POST.get("action")
        steps_by_verb = {
            "confirm": (lambda: contacts.confirm_with_code(change, request.POST.get("code", ""), actor=request.user),
                        _("The change is confirmed and applied.")),
            "approve": (lambda: contacts.approve(change, actor=request.user), _("The change is approved and applied.")),
            "cancel": (lambda: contacts.cancel(change, actor=request.user), _("The change is cancelled.")),
        }
        if verb in steps_by_verb:
            fn, ok = steps_by_verb[verb]
            if actions.act(request, fn, success=ok, flow=contacts.FLOW, record=change):
                return redirect("org:contact-change", pk=change.pk)
        change.refresh_from_db()
    return render(request, "org/contact_change.html", {
        "change": change, "own": own, "can_approve": officer and not own and change.requested_by_id != request.user.pk,
        "field_label": contacts.FIELD_LABELS.get(change.field, change.field),
    })


@login_required
def person_edit(request, pk=None):
    _require(request, perms.ORG_MANAGE_PERSON)
    person = _person_or_404(request, pk, perms.ORG_MANAGE_PERSON) if pk else None
    if person is not None and request.method != "POST" and not privacy.reveal(request.user, [person], via="page.edit"):
        raise Http404   # the form shows every field in full: only to whom may see them
    units = _visible_units(request.user, perms.ORG_MANAGE_PERSON)
    initial = {"unit": Unit.objects.filter(code=request.GET.get("unit")).first()} if not person else None
    form = PersonForm(request.POST or None, instance=person, units=units, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = actions.act(request, lambda: services.update_person(Person.objects.get(pk=person.pk), data,
                                                                    actor=request.user)
                            if person else services.create_person(data, actor=request.user),
                            success=_("Staff record saved."), form=form)
        if saved:
            for change in getattr(saved, "pending_changes", []):
                messages.warning(request, _("The new %(what)s waits for confirmation: a code was sent to the old "
                                            "one, or another officer approves it.") % {
                    "what": contacts.FIELD_LABELS[change.field]})
            return redirect("org:person", pk=saved.pk)
    return render(request, "org/form.html", {"form": form, "title": _("Edit staff record") if person else _("New staff record")})


@login_required
def import_view(request):
    _require(request, perms.ORG_IMPORT)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:   # checked and imported by a job, never in the request: its page shows the outcome
            job = importing.start(form.cleaned_data["kind"], upload.name, upload.read(), actor=request.user,
                                  dry_run=form.cleaned_data["dry_run"])
            messages.success(request, _("The file is being checked and imported; this page shows the outcome."))
            return redirect(job["page"])
        except KysoError as exc:
            form.add_error("file", exc.message)
    return render(request, "org/import.html", {"form": form, "columns": importing.columns_in_words()})
