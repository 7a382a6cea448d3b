"""The demo leaves the subscriber's own Form 01 to him: `thuebao` tries the demo by filing his request — the demo
had sometimes filed one for him already (Ba Đình's first two staff without a certificate), so his Form 01 was
refused "đã có hồ sơ đề nghị đang xử lý"."""

import pytest

from kyso.core.context import acting_as
from kyso.lifecycle import services
from kyso.lifecycle.models import IssuanceRequest

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_the_subscriber_can_file_his_own_form01_in_the_demo(demo):
    from kyso.core.demo import load_demo

    load_demo()
    thuebao = demo.user("thuebao")
    assert not IssuanceRequest.objects.filter(subscriber__person=thuebao.person).exists()
    with acting_as(thuebao, channel="web"):
        req = services.file_request(thuebao, kind="person", person=thuebao.person)
    assert req.state == "submitted"
