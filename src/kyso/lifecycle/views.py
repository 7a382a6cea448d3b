"""The lifecycle pages for every role: what waits for me, requests with the steps I may take, Form 02
lists, certificates (renewal, revocation), revocations, key devices, the seal campaign, bulk revocation.
Thin: the domain modules do the work (through `services`), `core.actions.act` runs each step and says
where the record went; a page offers exactly the steps the workflow allows this person now."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from kyso.accounts import scope
from kyso.core import actions, workflow
from kyso.core.paging import first_matching, page_of
from kyso.core.errors import Forbidden, InvalidInput
from kyso.core.exports import xlsx_response
from kyso.files import checks
from kyso.files.models import StoredFile
from kyso.files.storage import store
from kyso.files.views import file_response
from kyso.org.models import Person, Unit
from kyso.workdays.calendar import today

from . import bulk, deadlines, documents, privacy, services
from .flows import DEVICE, ITC, LIST, REQUEST, REVOCATION
from .models import Certificate, RequestState as R, RevocationReason
from .officers import acts_for, is_officer_of
from .permissions import LC_APPROVE, LC_CONFIRM, LC_DEVICE, LC_IMPORT, LC_REQUEST, LC_REVIEW, LC_VIEW
from .units import it_center


def need(request, perm):
    if not scope.has_permission_anywhere(request.user, perm):
        raise Forbidden("forbidden", _("You are not allowed to do this."))


def page(request, template, context):
    """Render a lifecycle page with what the menu may offer this person."""
    can = {name: scope.has_permission_anywhere(request.user, perm) for name, perm in (
        ("request", LC_REQUEST), ("confirm", LC_CONFIRM), ("review", LC_REVIEW), ("approve", LC_APPROVE),
        ("device", LC_DEVICE), ("import", LC_IMPORT))}
    return render(request, template, {"can": can, **context})


@login_required
def index(request):
    need(request, LC_VIEW)
    reqs = services.visible_requests(request.user).order_by("-id")
    state = request.GET.get("state", "")
    if state:
        reqs = reqs.filter(state=state)
    queues = [e for e in workflow.work_for(request.user) if e.workflow.name.startswith("lifecycle.")]
    return page(request, "lifecycle/index.html", {
        "queues": queues, "requests": page_of(request, reqs), "states": R.choices, "state": state,
        "expiry": services.expiry_buckets(request.user),
        "certificates": services.visible_certificates(request.user).order_by("not_after")[:100],
    })


ATTACHMENTS = ("seal_registration", "title_confirmation")
_KEPT = "lifecycle.form01.kept"


def _attachments(request):
    """The attachments of Form 01: each uploaded file checked by its content (a PDF is a PDF, at most
    `checks.MAX_MB`) and archived at once, so that a form sent back for another error keeps them (a signed
    reference in a hidden field); returns ({field: StoredFile}, {field: message})."""
    kept, errors = {}, {}
    for key in ATTACHMENTS:
        upload = request.FILES.get(key)
        if upload is not None:
            data = upload.read()
            try:
                media_type = checks.check_attachment(data, upload.name, field=key)
            except InvalidInput as exc:
                errors[key] = exc.message
                continue
            kept[key] = store(data, name=upload.name, media_type=media_type, purpose=f"lifecycle.{key}")
        elif token := request.POST.get(f"kept_{key}"):
            try:
                ref = signing.loads(token, salt=_KEPT, max_age=3600)
            except signing.BadSignature:
                continue
            if ref.get("user") == request.user.pk:
                kept[key] = StoredFile.objects.filter(pk=ref.get("file"), purpose=f"lifecycle.{key}").first()
    return {k: v for k, v in kept.items() if v is not None}, errors


PEOPLE_SHOWN = 500     # a province or the agency has thousands: past this the officer narrows by a search


def _people_to_choose(people, q: str, chosen) -> tuple[list, int]:
    """The people the Form 01 list offers: those the search `q` finds among `people` (name, title, e-mail, unit),
    the first PEOPLE_SHOWN by name, and the one already chosen kept; with how many more the search found (0: all
    are shown). It offered the first 500 by name and no way to reach the others."""
    shown, more = first_matching(people.select_related("unit").order_by("full_name", "pk"), q,
                                 ("full_name", "title", "email", "unit__name", "unit__code"), PEOPLE_SHOWN)
    chosen = str(chosen or "")
    if chosen.isdigit() and all(str(p.pk) != chosen for p in shown):
        shown += list(people.filter(pk=int(chosen)).select_related("unit"))
    return shown, more


@login_required
def new_request(request):
    """Form 01. A subscriber files only for himself (his own name, nothing to choose); an officer chooses the
    person — nothing pre-selected. After an error every typed value and every accepted attachment is kept."""
    need(request, LC_REQUEST)
    people = scope.filter_by_scope(Person.objects.filter(is_active=True), request.user, LC_REQUEST, "unit__path")
    for_himself = not (scope.has_permission_anywhere(request.user, LC_CONFIRM) or scope.can(request.user, LC_REVIEW))
    if for_himself:
        people = people.filter(pk=getattr(request.user, "person_id", None))      # a subscriber files for himself
    units = scope.filter_by_scope(Unit.objects.filter(has_own_seal=True, is_active=True), request.user, LC_REQUEST, "path")
    units = [u for u in units.order_by("path") if acts_for(request.user, None, u)]
    typed, field_errors, kept = {"kind": "person", "validity_years": "5"}, {}, {}
    if request.method == "POST":
        typed = request.POST.dict()
        kind = request.POST.get("kind", "")
        person = people.filter(pk=request.POST.get("person") or 0).first() if kind == "person" else None
        unit = Unit.objects.filter(pk=request.POST.get("unit") or 0).first() if kind == "organization" else None
        data = {k: request.POST.get(k, "") for k in ("title", "residence", "fax", "validity_years",
                                                     "old_certificate_serial")}
        data["is_seal_holder"] = bool(request.POST.get("is_seal_holder"))
        kept, field_errors = _attachments(request)
        if field_errors:
            messages.error(request, _("Some attachments were refused: see below."))
        else:
            req = actions.act(request, lambda: services.file_request(request.user, kind=kind, person=person,
                                                                     unit=unit, data=data, **kept),
                              success=_("Request filed (Form 01)."), flow=REQUEST)
            if req:
                return redirect("lifecycle:request", pk=req.pk)
            field_errors = {name: " ".join(msgs) for name, msgs in req.error.as_dict().get("fields", {}).items()}
    q = (request.GET.get("q") or "").strip()[:100]
    shown, more = _people_to_choose(people, q, typed.get("person"))
    return page(request, "lifecycle/new_request.html", {
        "people": shown, "more": more, "q": q, "units": units, "for_himself": for_himself,
        "typed": typed, "errors": field_errors, "max_mb": checks.MAX_MB, "accept": checks.ACCEPT,
        "attachment_fields": [("seal_registration", _("Copy of the seal registration")),
                              ("title_confirmation", _("Copy of the title confirmation"))],
        "kept": {key: (f, signing.dumps({"file": f.pk, "user": request.user.pk}, salt=_KEPT))
                 for key, f in kept.items()},
    })


@login_required
@xframe_options_sameorigin
def attachment(request, pk, which):
    """An attachment of Form 01, for everyone who may see the request (each reviewer down the chain): downloaded,
    or shown in the page (`?view=1`) for a preview."""
    req = services.visible_requests(request.user).filter(pk=pk).first()
    if req is None or which not in ATTACHMENTS or getattr(req, f"{which}_id") is None:
        raise Http404
    return file_response(getattr(req, which), inline=bool(request.GET.get("view")))


# The buttons of each step on the request page (the IT Center's twin of a step has the same buttons).
BUTTONS = {
    "confirm": [("confirm", gettext_lazy("Confirm (managing unit)"))],
    "review": [("valid", gettext_lazy("Valid")), ("invalid", gettext_lazy("Invalid: return with guidance"))],
    "resubmit": [("resubmit", gettext_lazy("Completed: resubmit"))],
    "handover_unit": [("handover_unit", gettext_lazy("Hand over to the managing unit (Form 03)"))],
    "handover_subscriber": [("handover_subscriber", gettext_lazy("Handed to the subscriber (report back)"))],
    "activate": [("activate", gettext_lazy("Send the activation notice (Form 04)"))],
    "ca_outcome": [("refused", gettext_lazy("CA refused")), ("supplement", gettext_lazy("CA asks for a supplement"))],
    "notify_outcome": [("notify_outcome", gettext_lazy("Notify the unit in writing"))],
    "supplement_done": [("supplement_done", gettext_lazy("Supplement completed"))],
}
LIST_STEPS = {"list", "receive", "to_approval", "approve", "send"}   # taken on the lists page


def actions_for(user, req):
    """The buttons this user may press on this request now, and whether its list waits for him."""
    allowed = {t.name.removesuffix(ITC) for t in REQUEST.allowed(req, user)}
    acts = [button for name in allowed for button in BUTTONS.get(name, [])]
    if req.state not in (R.ACTIVATED, R.REFUSED) and is_officer_of(user, req.subscriber.managing_unit):
        acts.append(("hold", _("Hold / release")))
    return acts, bool(allowed & LIST_STEPS), "edit" in allowed


@login_required
def request_detail(request, pk):
    req = get_object_or_404(services.visible_requests(request.user), pk=pk)
    acts, in_list, can_edit = actions_for(request.user, req)
    return page(request, "lifecycle/request.html", {
        "req": req, "personal": req.pk in privacy.reveal(request.user, [req], via="page"), "steps": deadlines.steps_of("request", req.pk), "today": today(), "where": REQUEST.where(req),
        "records": services.visible_records(request.user).filter(subject_type="request", subject_id=req.pk)
        .order_by("id"),
        "actions": acts, "list_step": in_list, "can_edit": can_edit, "certificates": req.certificates.all(),
        "attachments": [(key, label, getattr(req, key)) for key, label in (
            ("seal_registration", _("Copy of the seal registration")),
            ("title_confirmation", _("Copy of the title confirmation"))) if getattr(req, f"{key}_id")],
        "can_attach": scope.can(request.user, LC_REVIEW) and req.state in (R.HANDED_TO_UNIT, R.HANDED_TO_SUBSCRIBER,
                                                                           R.ACTIVATED),
    })


@login_required
@require_POST
def request_action(request, pk, action):
    req = get_object_or_404(services.visible_requests(request.user), pk=pk)
    text, user = request.POST.get("text", ""), request.user
    handlers = {
        "confirm": lambda: services.confirm_request(user, req),
        "valid": lambda: services.review(user, req, valid=True),
        "invalid": lambda: services.review(user, req, valid=False, guidance=text),
        "resubmit": lambda: services.resubmit(user, req),
        "handover_unit": lambda: services.handover_to_unit(user, req),
        "handover_subscriber": lambda: services.handover_to_subscriber(user, req),
        "activate": lambda: services.activate(user, req),
        "refused": lambda: services.ca_outcome(user, req, "refused", text),
        "supplement": lambda: services.ca_outcome(user, req, "supplement", text),
        "notify_outcome": lambda: services.notify_unit_of_outcome(user, req),
        "supplement_done": lambda: services.supplement_done(user, req),
        "hold": lambda: services.hold(user, req, text),
    }
    if action not in handlers:
        raise Http404
    actions.act(request, handlers[action], success=_("Done."), flow=REQUEST, record=req)
    return redirect("lifecycle:request", pk=pk)


@login_required
def form(request, kind, pk, fmt):
    """Forms 01 (request) and 02 (list) rendered now from the records, as PDF, DOCX or XLSX."""
    user = request.user
    if kind == "01":
        req = services.visible_requests(user).filter(pk=pk).first()
        if req is None or req.kind == "person" and not privacy.entitled(user, req):
            raise Http404
        doc = privacy.form01_for(user, req, via=f"page.form01.{fmt}")
    else:
        lst = get_object_or_404(services.visible_lists(user), pk=pk)
        if fmt == "xlsx":
            return xlsx_response(privacy.form02_xlsx_for(user, lst, via="page.form02.xlsx"), "mau-02.xlsx")
        doc = privacy.form02_for(user, lst, via=f"page.form02.{fmt}")
    data, ctype = documents.render(doc, fmt)
    resp = HttpResponse(data, content_type=ctype)
    resp["Content-Disposition"] = f'attachment; filename="mau-{kind}.{fmt}"'
    return resp


@login_required
def record(request, pk):
    rec = services.visible_records(request.user).filter(pk=pk).first()
    if rec is None or not privacy.record_readable(request.user, rec):
        raise Http404
    return file_response(rec.pdf)


def _list_action(request, lst, op):
    """One step on one list, with where the list went; the device PINs of our CA shown once."""
    user = request.user
    if op == "send_to_ca":
        issued = actions.act(request, lambda: services.send_to_ca(user, lst), success=_("Done."), flow=LIST, record=lst)
        return pin_envelopes(request, lst, issued) if issued else None
    step = {"send": services.send_list, "receive": services.receive_list, "approve": services.approve_list}.get(op)
    if step is None:
        raise Http404
    actions.act(request, lambda: step(user, lst), success=_("Done."), flow=LIST, record=lst)


def pin_envelopes(request, lst, issued):
    """The devices our CA has just issued, with their PINs, in the answer to the officer who sent the list — the
    one who receives the devices and hands them over with Form 03: a printable page (Form 03's table and one
    sealed-envelope slip per device). The PIN is in this answer only: not stored, not in a message, not cached;
    reloading the page does not show it again."""
    requests = {r.pk: r for r in lst.approval_requests.select_related("subscriber", "subscriber__managing_unit")}
    certificates = {c.request_id: c for c in Certificate.objects.filter(request_id__in=requests).select_related("device")}
    rows = [{"item": item, "req": requests.get(item.request_id), "cert": certificates.get(item.request_id)}
            for item in issued]
    response = render(request, "lifecycle/pin_envelopes.html", {"rows": rows, "list": lst, "giver": it_center(),
                                                                 "when": timezone.localtime()})
    response["Cache-Control"] = "no-store"
    return response


LIST_BUTTONS = {"send": gettext_lazy("Send up"), "receive": gettext_lazy("Receive"),
                "approve": gettext_lazy("Approve"), "send_to_ca": gettext_lazy("Send to the CA")}


def list_buttons(lst, user) -> list[tuple[str, str]]:
    names = {t.name.removesuffix(ITC) for t in LIST.allowed(lst, user)}
    return [(op, label) for op, label in LIST_BUTTONS.items() if op in names]


def compile_units(user):
    """The managing units whose list this person may compile."""
    units = scope.filter_by_scope(Unit.objects.filter(level__manages_subscribers=True, parent__isnull=False),
                                  user, LC_CONFIRM, "path")
    out = list(units.order_by("path"))
    if scope.can(user, LC_REVIEW):
        itc = services.it_center()
        out += [] if itc in out else [itc]
    return out


@login_required
def lists(request):
    need(request, LC_VIEW)
    if request.method == "POST":
        op, user = request.POST.get("op"), request.user
        if op == "compile":
            unit = Unit.objects.filter(pk=request.POST.get("unit") or 0).first()
            if unit is None:
                raise Http404
            lst = actions.act(request, lambda: services.compile_list(user, unit), success=_("Done."), flow=LIST)
            return redirect("lifecycle:list", pk=lst.pk) if lst else redirect("lifecycle:lists")
        if op == "compile_approval":
            lst = actions.act(request, lambda: services.compile_approval_list(user), success=_("Done."), flow=LIST)
            return redirect("lifecycle:list", pk=lst.pk) if lst else redirect("lifecycle:lists")
        lst = services.visible_lists(user).filter(pk=request.POST.get("list") or 0).first()
        if lst is None:
            raise Http404
        return _list_action(request, lst, op) or redirect("lifecycle:lists")
    lists_ = page_of(request, services.visible_lists(request.user))
    rows = [(lst, list_buttons(lst, request.user)) for lst in lists_]
    return page(request, "lifecycle/lists.html", {"rows": rows, "page": lists_, "units": compile_units(request.user)})


@login_required
def list_detail(request, pk):
    lst = get_object_or_404(services.visible_lists(request.user), pk=pk)
    if request.method == "POST":
        _list_action(request, lst, request.POST.get("op"))
        return redirect("lifecycle:list", pk=pk)
    return page(request, "lifecycle/list.html", {"lst": lst, "requests": lst.all_requests(), "where": LIST.where(lst),
                                                 "buttons": list_buttons(lst, request.user)})


@login_required
def certificate(request, pk):
    cert = get_object_or_404(services.visible_certificates(request.user), pk=pk)
    sub = cert.subscriber
    if request.method == "POST":
        if request.POST.get("op") == "renew":
            req = actions.act(request, lambda: services.renewal(request.user, cert),
                              success=_("Request filed (Form 01)."), flow=REQUEST)
            if req:
                return redirect("lifecycle:request", pk=req.pk)
        else:
            actions.act(request, lambda: services.request_revocation(
                request.user, cert, reason=request.POST.get("reason", ""), detail=request.POST.get("detail", ""),
                phone_notice=request.POST.get("phone_notice", "")), success=_("Revocation requested (Form 05)."),
                flow=REVOCATION)
        return redirect("lifecycle:certificate", pk=pk)
    return page(request, "lifecycle/certificate.html", {
        "cert": cert, "reasons": RevocationReason.choices, "revocations": cert.revocations.order_by("-id"),
        "may_act": cert.status != "revoked" and acts_for(request.user, sub.person, sub.unit),
    })


@login_required
def revocation(request, pk):
    rev = get_object_or_404(services.visible_revocations(request.user), pk=pk)
    user = request.user
    if request.method == "POST":
        op = request.POST.get("op")
        handlers = {"confirm": lambda: services.confirm_revocation(user, rev),
                    "send": lambda: services.send_revocation(user, rev),
                    "send_to_ca": lambda: services.send_revocation(user, rev),
                    "ca_confirmed": lambda: services.ca_confirmed_revocation(user, rev),
                    "notify_unit": lambda: services.notify_unit_to_recover(user, rev),
                    "return_device": lambda: services.return_device(
                        user, rev, lost_or_damaged=request.POST.get("condition", ""),
                        explanation=request.POST.get("text", ""))}
        if op not in handlers:
            raise Http404
        actions.act(request, handlers[op], success=_("Done."), flow=REVOCATION, record=rev)
        return redirect("lifecycle:revocation", pk=pk)
    return page(request, "lifecycle/revocation.html", {
        "rev": rev, "steps": deadlines.steps_of("revocation", rev.pk), "today": today(), "where": REVOCATION.where(rev),
        "allowed": {t.name.removesuffix(ITC) for t in REVOCATION.allowed(rev, user)}})


@login_required
def devices(request):
    need(request, LC_VIEW)
    user = request.user
    if request.method == "POST":
        if request.POST.get("op") == "register":
            unit = Unit.objects.filter(pk=request.POST.get("unit") or 0).first()
            if unit is None:
                raise Http404
            actions.act(request, lambda: services.register_device(user, serial=request.POST.get("serial", ""), unit=unit,
                                                                  model=request.POST.get("model", "")),
                        success=_("Done."), flow=DEVICE)
        else:
            dev = services.search_devices(user).filter(pk=request.POST.get("device") or 0).first()
            if dev is None:
                raise Http404
            actions.act(request, lambda: services.change_device(user, dev, request.POST.get("state", ""),
                                                                note=request.POST.get("note", "")), success=_("Done."),
                        flow=DEVICE, record=dev)
        return redirect("lifecycle:devices")
    q = request.GET.get("q", "").strip()
    devices = page_of(request, services.search_devices(user, q=q))
    rows = [(d, services.next_states(d, user)) for d in devices]
    units = scope.filter_by_scope(Unit.objects.all(), user, LC_DEVICE, "path")
    return page(request, "lifecycle/devices.html", {"rows": rows, "page": devices, "q": q,
                                                    "units": units.order_by("path")})


@login_required
def campaign(request):
    need(request, LC_VIEW)
    return page(request, "lifecycle/campaign.html", services.seal_campaign(request.user))


@login_required
def bulk_page(request):
    """Revoke every valid certificate under a unit, with a progress bar."""
    need(request, LC_CONFIRM)
    if request.method == "POST":
        unit = Unit.objects.filter(pk=request.POST.get("unit") or 0).first()
        if unit is None:
            raise Http404
        job = actions.act(request, lambda: bulk.start_bulk_revocation(
            request.user, unit, reason=request.POST.get("reason", ""), detail=request.POST.get("detail", ""),
            phone_notice=request.POST.get("phone_notice", "")))
        return redirect(f"/jobs/{job.pk}/") if job else redirect("lifecycle:bulk")
    units = scope.filter_by_scope(Unit.objects.all(), request.user, LC_CONFIRM, "path").order_by("path")
    jobs = bulk.visible_jobs(request.user).order_by("-id")[:20]
    return page(request, "lifecycle/bulk.html", {"jobs": jobs, "units": units, "reasons": RevocationReason.choices})
