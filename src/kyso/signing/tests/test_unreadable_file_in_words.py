"""A file that cannot be read at all (exit 3, HTTP 400) is told in Vietnamese with where it breaks — not with
the parsing library's English ("Could not read malformed PDF file", "Opening and ending tag mismatch: b line 1
and a"), which stays in the error's parameters for the logs."""

import re

import pytest

from kyso.core.errors import InvalidInput
from kyso.signing import cades
from kyso.signing.verify import verify_bytes

ENGLISH = re.compile(r"\b(?:could|not|read|malformed|file|tag|line|and|error|expected|invalid|unexpected)\b", re.I)


@pytest.mark.django_db
@pytest.mark.parametrize("name, data, words", [
    ("broken.pdf", b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog", "Văn bản PDF bị lỗi cấu trúc"),
    ("broken.xml", b"<?xml version='1.0'?>\n<a>\n  <b></a>", "dòng 3"),
])
def test_an_unreadable_file_is_told_in_words(name, data, words):
    with pytest.raises(InvalidInput) as caught:
        verify_bytes(data, filename=name)
    message = caught.value.message
    assert words in message
    assert not ENGLISH.search(message), message
    assert caught.value.params.get("detail")                 # the library's own words are kept for the logs


def test_an_unreadable_cms_is_told_in_words():
    with pytest.raises(InvalidInput) as caught:
        cades.load(b"0\x82\x01\x00\x06\x09*\x86H\x86\xf7\r\x01\x07\x02")
    assert "Chữ ký CMS không đúng định dạng" in caught.value.message
    assert not ENGLISH.search(caught.value.message) and caught.value.params.get("detail")
