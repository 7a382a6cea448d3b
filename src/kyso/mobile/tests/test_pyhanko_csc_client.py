"""An independent client: pyHanko's CSCSigner (CSC API v1.0.4.0) signs a PDF through Kyso's CSC API
over HTTP, authorising each hash with PIN and SMS one-time code; the result validates with Kyso's
verifier, pyHanko's validator and poppler's pdfsig."""

import asyncio
import base64
import io
import shutil
import subprocess

import aiohttp
import pytest

from kyso.accounts.demo import DEMO_PASSWORD

from .conftest import PIN, last_otp

pytestmark = pytest.mark.tools


@pytest.mark.django_db(transaction=True)
def test_pyhanko_csc_signer_signs_a_pdf(demo, live_server, tmp_path, monkeypatch):
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko.sign.signers import csc_signer

    from kyso.core.context import acting_as
    from kyso.mobile import services
    from kyso.signing.verify import verify_bytes

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")   # the test reads the SMS outbox from the event loop
    leader = demo.user("lanhdao")
    with acting_as(leader, channel="cli"):
        cred = services.enrol_credential(leader, channel="app", pin=PIN)
    pdf = _one_page_pdf()

    class PinAndOtp(csc_signer.CSCAuthorizationManager):
        """Authorise exactly the hashes pyHanko is about to sign (SCAL2), with PIN + SMS code."""

        async def authorize_signature(self, hash_b64s):
            url = self.csc_session_info.endpoint_url("credentials/sendOTP")
            async with session.post(url, json={"credentialID": cred.credential_id}, headers=self.auth_headers,
                                    raise_for_status=True):
                pass
            body = self.format_csc_auth_request(pin=PIN, otp=last_otp(), hash_b64s=hash_b64s)
            async with session.post(self.csc_session_info.endpoint_url("credentials/authorize"), json=body,
                                    headers=self.auth_headers, raise_for_status=True) as resp:
                return self.parse_csc_auth_response(await resp.json())

    async def run():
        nonlocal session
        async with aiohttp.ClientSession() as s:
            session = s
            basic = base64.b64encode(f"{leader.username}:{DEMO_PASSWORD}".encode()).decode()
            async with s.post(f"{live_server.url}/csc/v1/auth/login", json={}, raise_for_status=True,
                              headers={"Authorization": f"Basic {basic}"}) as r:
                token = (await r.json())["access_token"]
            info = csc_signer.CSCServiceSessionInfo(live_server.url, cred.credential_id, oauth_token=token)
            cred_info = await csc_signer.fetch_certs_in_csc_credential(s, info)
            assert cred_info.hash_pinning_required            # SCAL2 from credentials/info
            signer = csc_signer.CSCSigner(s, auth_manager=PinAndOtp(info, cred_info))
            out = io.BytesIO()
            meta = signers.PdfSignatureMetadata(field_name="Signature1", md_algorithm="sha256")
            await signers.PdfSigner(meta, signer=signer).async_sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf)),
                                                                         output=out)
            return out.getvalue()

    session = None
    signed = asyncio.run(run())
    report = verify_bytes(signed)
    assert report.indication == "TOTAL_PASSED", report.to_dict()
    assert report.signatures[0].signer_serial == cred.certificate.serial.lstrip("0")

    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature

    from kyso.signing.trust import default_trust

    status = validate_pdf_signature(PdfFileReader(io.BytesIO(signed)).embedded_signatures[0],
                                    default_trust().validation_context())
    assert status.intact and status.valid and status.trusted, status.pretty_print_details()
    if shutil.which("pdfsig"):
        path = tmp_path / "csc.pdf"
        path.write_bytes(signed)
        out = subprocess.run(["pdfsig", "-nocert", str(path)], capture_output=True, text=True).stdout
        assert "Signature is Valid" in out, out


def _one_page_pdf() -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.drawString(72, 760, "Cong van so 101/BHXH-CNTT")
    c.save()
    return buf.getvalue()
