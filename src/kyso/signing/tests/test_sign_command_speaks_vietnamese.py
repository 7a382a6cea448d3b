"""`kyso sign` answers a person in Vietnamese (project rule: no English words to a reader): a key file that cannot
be read, a key of another certificate and an unknown PDF level were told in English ('The key does not belong to
the certificate.'), while the same mistakes for XML and CMS were told in Vietnamese."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from .helpers import key_pem, pem


@pytest.fixture
def inputs(signer, make, tmp_path, one_page_pdf):
    issued, key = signer
    _other, other_key = make("person", key_spec="rsa2048")
    (tmp_path / "in.pdf").write_bytes(one_page_pdf)
    (tmp_path / "cert.pem").write_bytes(pem(issued.certificate))
    (tmp_path / "key.pem").write_bytes(key_pem(key.private_key()))
    (tmp_path / "other.pem").write_bytes(key_pem(other_key.private_key()))
    (tmp_path / "junk.pem").write_bytes(b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")
    return tmp_path


@pytest.mark.parametrize("key, extra, code, words", [
    ("other.pem", [], "signing.cli.key_mismatch", "Khóa bí mật không thuộc về chứng thư số"),
    ("junk.pem", [], "signing.cli.key]", "Không đọc được khóa bí mật"),
    ("key.pem", ["--level", "B-LTX"], "signing.level.unsupported", "Không hỗ trợ mức chữ ký B-LTX cho PDF"),
])
def test_a_signing_mistake_is_told_in_vietnamese(inputs, key, extra, code, words):
    with pytest.raises(CommandError) as raised:
        call_command("sign", "pdf", inputs / "in.pdf", inputs / "out.pdf", "--cert", inputs / "cert.pem",
                     "--key", inputs / key, *extra)
    assert code in str(raised.value) and words in str(raised.value), str(raised.value)
    assert not (inputs / "out.pdf").exists()
