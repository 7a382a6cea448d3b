"""The demo: generated signature and seal images are archived for the demo leaders and units, and the
sample decision carries a valid leader + seal signature pair (Art. 8.5 complete for an official document)."""

import io
from pathlib import Path

from django.conf import settings
from PIL import Image

from kyso.org.models import Person, Unit
from kyso.signing import images
from kyso.signing.verify import verify_bytes


def test_demo_images_and_signed_sample(demo, pki):
    from django.db import transaction

    from kyso.core.context import acting_as
    from kyso.signing.demo import load

    ctx = {"lines": []}
    for _run in range(2):       # idempotent: the second run reuses images and certificates
        with acting_as(label="test-demo", channel="cli"), transaction.atomic():
            load(ctx)
    assert "/signing/verify/" in ctx["lines"][-1]
    unit = Unit.objects.get(code="HN.BD")
    leader = Person.objects.filter(unit=unit, title="Giám đốc").order_by("pk").first()
    for png in (images.signature_image_of(leader), images.seal_image_of(unit)):
        img = Image.open(io.BytesIO(png))
        assert img.mode == "RGBA" and img.getpixel((0, 0))[3] == 0, "transparent background"
    red = Image.open(io.BytesIO(images.seal_image_of(unit))).getcolors(1 << 20)
    assert max((n, c) for n, c in red if c[3] == 255)[1][:3] == images.RED[:3]

    decision = (Path(settings.DATA_DIR) / "demo" / "quyet-dinh-da-ky.pdf").read_bytes()
    report = verify_bytes(decision, doc_type="official")
    assert report.indication == "TOTAL_PASSED", report.messages
    # the seal's B-LT revision embeds our CA's CRL, which serves the leader's signature as well
    assert report.signatures[0].level in ("B-T", "B-LT") and report.signatures[1].level == "B-LT"
    assert report.signatures[0].signer == leader.full_name
    attachment = (Path(settings.DATA_DIR) / "demo" / "phu-luc-da-ky.pdf").read_bytes()
    assert verify_bytes(attachment, doc_type="attachment").indication == "TOTAL_PASSED"
