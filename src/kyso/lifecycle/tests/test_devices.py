"""Key devices: states move only along the table, from the API and the CLI alike, each move leaves a
custody event; searchable by serial, holder and unit; lost or damaged needs a written explanation."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kyso.core.errors import Conflict, InvalidInput, InvalidState
from kyso.lifecycle import devices, services
from kyso.lifecycle.flows import DEVICE
from kyso.lifecycle.models import DeviceEvent, DeviceState, KeyDevice

from .factories import acting

URL = "/api/v1/lifecycle/devices/"


@pytest.mark.django_db
def test_register_search_and_change_from_api_and_cli(api, demo, capsys):
    client = api("badinh")
    dev = client.post(URL, {"serial": "tk-7781", "unit": "HN.BD", "model": "ePass2003"}, format="json")
    assert dev.status_code == 201 and dev.json()["serial"] == "TK-7781" and dev.json()["state"] == "in_stock"
    dup = client.post(URL, {"serial": "TK-7781", "unit": "HN.BD"}, format="json")
    assert dup.status_code == 409 and dup.json()["error"]["code"] == "lifecycle.device.duplicate"
    assert client.post(URL, {"serial": "TK-1", "unit": "HN.CG"}, format="json").status_code == 403

    assert [d["serial"] for d in client.get(URL + "?q=7781").json()["results"]] == ["TK-7781"]
    assert client.get(URL + "?unit=HN.CG").json()["results"] == []
    assert api("hanoi").get(URL + "?q=7781").json()["results"][0]["unit"] == "HN.BD"

    pk = dev.json()["id"]
    bad = client.post(f"{URL}{pk}/change/", {"state": "returned"}, format="json")
    assert bad.status_code == 409 and bad.json()["error"]["code"] == "lifecycle.device.out_of_order"
    no_note = client.post(f"{URL}{pk}/change/", {"state": "damaged"}, format="json")
    assert no_note.json()["error"]["code"] == "lifecycle.device.explanation"
    ok = client.post(f"{URL}{pk}/change/", {"state": "damaged", "note": "Rơi vỡ, có biên bản"}, format="json")
    assert ok.json()["state"] == "damaged"

    call_command("lifecycle", "device", "TK-7781", "recovered", "--user", "badinh")
    call_command("lifecycle", "device", "tk-7781", "sealed", "--user", "badinh")
    assert "Thiết bị TK-7781" in capsys.readouterr().out
    call_command("lifecycle", "devices", "--q", "7781", "--user", "badinh")
    assert '"state": "sealed"' in capsys.readouterr().out
    with pytest.raises(CommandError) as exc:
        call_command("lifecycle", "device", "TK-7781", "in_stock", "--user", "badinh")
    assert "lifecycle.device.out_of_order" in str(exc.value)
    with pytest.raises(CommandError):
        call_command("lifecycle", "device", "TK-7781", "returned", "--user", "thuebao")
    device = KeyDevice.objects.get(serial="TK-7781")
    assert device.state == "sealed"
    assert [(e.from_state, e.to_state) for e in DeviceEvent.objects.filter(device=device)] == \
        [("in_stock", "damaged"), ("damaged", "recovered"), ("recovered", "sealed")]
    assert set(DeviceEvent.objects.filter(device=device).values_list("actor", flat=True)) == {"badinh"}


@pytest.mark.django_db
def test_device_state_table_walks(demo):
    """Every allowed transition works; every other one is refused."""
    user = demo.user("cntt")
    unit = demo.unit("VSS.CNTT")
    states, table = list(DeviceState.values), DEVICE.table()
    for src in states:
        for dst in states:
            with acting(user):
                dev = KeyDevice.objects.create(serial=f"T-{src}-{dst}", unit=unit, state=src)
                if dst in table[src]:
                    devices.move(dev, dst, actor=user, by=user)
                    assert KeyDevice.objects.get(pk=dev.pk).state == dst
                else:
                    with pytest.raises(InvalidState):
                        devices.move(dev, dst, actor=user, by=user)
                    assert KeyDevice.objects.get(pk=dev.pk).state == src
    with acting(user):
        dev = services.register_device(user, serial="vt-001", unit=unit)
        with pytest.raises(Conflict):
            services.register_device(user, serial="VT-001", unit=unit)
        with pytest.raises(InvalidInput):
            services.change_device(user, dev, DeviceState.LOST)          # needs an explanation
        services.change_device(user, dev, DeviceState.DAMAGED, note="Rơi vỡ, có xác nhận của đơn vị")
    assert dev.events.count() == 1
