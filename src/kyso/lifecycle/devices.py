"""Key devices (Art. 6.3, 7): registered in stock, issued with a certificate, lost or damaged (with a
written explanation), recovered, sealed and returned to the CA — each move a custody `DeviceEvent`, along
the device workflow (`flows.DEVICE`); searchable by serial, holder and unit."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kyso.accounts import scope
from kyso.core import steps
from kyso.core.errors import Conflict, InvalidInput, NotFound
from kyso.org.models import Unit

from .flows import DEVICE, DEVICE_STEP, refused
from .models import DeviceEvent, DeviceState, KeyDevice, Subscriber
from .officers import label
from .permissions import LC_DEVICE, LC_VIEW

KEEP = object()
REGISTER = steps.step("lifecycle.device.register", perm=LC_DEVICE, label=_("Register a key device"))


def register_device(user, *, serial: str, unit: Unit, model: str = "") -> KeyDevice:
    serial = (serial or "").strip().upper()

    def body(attempt):
        if not serial:
            raise InvalidInput("lifecycle.device.serial", _("The device serial number is required."))
        if KeyDevice.objects.filter(serial=serial).exists():
            raise Conflict("lifecycle.device.duplicate", _("A device with serial %(serial)s exists already."),
                           serial=serial)
        return KeyDevice.objects.create(serial=serial, unit=unit, model=model or "USB token")

    return steps.run(REGISTER, body, actor=user, unit=unit)


def change_device(user, device: KeyDevice, to: str, *, note: str = "", holder=KEEP) -> KeyDevice:
    """An officer records what happened to a device (the page offers only its next states)."""
    if to not in DeviceState.values:
        raise refused(InvalidInput("lifecycle.device.state", _("Unknown device state %(state)s."), state=to))
    if to == DeviceState.ISSUED and not isinstance(holder, Subscriber):
        raise refused(InvalidInput("lifecycle.device.holder", _("A device is issued to a subscriber: name the holder.")))
    if to == DeviceState.RECOVERED and holder is KEEP:
        holder = None
    if to in (DeviceState.LOST, DeviceState.DAMAGED) and not note.strip():
        raise refused(InvalidInput("lifecycle.device.explanation",
                                   _("A lost or damaged device needs a written explanation confirmed by the unit.")))
    return move(device, to, actor=user, by=user, holder=holder, note=note)


def move(device: KeyDevice, to: str, *, actor=None, by=None, holder=KEEP, unit=None, note: str = "") -> KeyDevice:
    """Move a device to state `to`, with its custody event. `actor=None`: the device follows another step
    that was already authorised (a handover, a revocation) — `by` is who did that step."""
    name = DEVICE_STEP.get(to)
    if name is None:
        raise refused(DEVICE.out_of_order(device))

    def body(attempt):
        before = device.state
        device.state = to
        if holder is not KEEP:
            device.holder = holder
        if unit is not None:
            device.unit = unit
        device.save()
        DeviceEvent.objects.create(device=device, from_state=before, to_state=to, holder=device.holder,
                                   unit=device.unit, note=note, actor=label(by))

    return DEVICE.perform(name, device, actor=actor, body=body)


def search_devices(user, *, q: str = "", unit: str = "", state: str = ""):
    """Key devices in the user's scope (all of them for the server's operator, `user=None`), by serial,
    holder's name or unit code."""
    qs = KeyDevice.objects.select_related("unit", "holder__person", "holder__unit").order_by("serial")
    if user is not None:
        qs = scope.filter_by_scope(qs, user, LC_VIEW, "unit__path")
    if q:
        qs = qs.filter(Q(serial__icontains=q.strip()) | Q(holder__person__full_name__icontains=q.strip())
                       | Q(holder__unit__name__icontains=q.strip()) | Q(unit__name__icontains=q.strip()))
    if unit:
        qs = qs.filter(unit__code=unit.strip())
    if state:
        qs = qs.filter(state=state)
    return qs


def device_by_serial(user, serial: str) -> KeyDevice:
    device = search_devices(user).filter(serial=(serial or "").strip().upper()).first()
    if device is None:
        raise NotFound("lifecycle.device.not_found", _("No key device %(serial)s in your scope."), serial=serial)
    return device


def next_states(device: KeyDevice, user) -> list[tuple[str, str]]:
    """The states this user may move this device to now (what the page offers)."""
    labels = dict(DeviceState.choices)
    return [(t.target, labels[t.target]) for t in DEVICE.allowed(device, user)]
