"""Issue 16, finding 2 on the PKI SIM's phone page: a wrong PIN typed at the SIM's prompt is counted by the SIM and
stays counted. Before, the page showed "2 tries left" and then undid the count with the rest of the failed answer
(`steps.settle`): six wrong PINs, then the right one, signed. Now the third wrong PIN blocks the SIM and the right
one no longer signs — on the SIM prompt's form and on the request's form alike."""

import pytest

from kyso.mobile import services
from kyso.mobile.models import RequestState, SimCard

from .conftest import PIN, digest


@pytest.mark.parametrize("form", ["sim", "request"])
def test_three_wrong_pins_block_the_sim(client, sim_credential, leader, as_user, form):
    with as_user(leader):
        req = services.request_signature(signer=leader, hashes=[digest()], display_text="Ký Tờ trình 3/TTr")
    url = f"/mobile/phone/sim/{req.mssp_trans_id}/" if form == "sim" else f"/mobile/phone/{req.pk}/"
    client.force_login(leader)
    tries = []
    for _ in range(2):
        page = client.post(url, {"pin": "000000"}, follow=True).content.decode()
        tries.append(SimCard.objects.get(msisdn=sim_credential.msisdn).pin_tries_left)
    assert tries == [2, 1]
    assert "còn 1 lần thử" in page
    client.post(url, {"pin": "000000"})
    assert SimCard.objects.get(msisdn=sim_credential.msisdn).pin_tries_left == 0
    client.post(url, {"pin": PIN})
    req = services.get_request(req.pk)
    assert req.state != RequestState.SIGNED and not req.signatures
    assert req.error_code == "mssp.pin_blocked"
