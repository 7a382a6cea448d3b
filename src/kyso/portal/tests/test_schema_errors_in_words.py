"""An employer's form that does not follow its XML schema is refused with what is wrong in Vietnamese — the
line, the element, what the form expects there — not lxml's English ("Element '{urn:…}A': 'x' is not a valid
value of the atomic type 'xs:decimal'")."""

import re

import pytest
from django.utils import translation
from lxml import etree

from kyso.core.errors import InvalidInput
from kyso.portal import schemas

XSD = b"""<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns="urn:t" targetNamespace="urn:t"
  elementFormDefault="qualified">
 <xs:element name="Root"><xs:complexType><xs:sequence>
  <xs:element name="A" type="xs:decimal"/><xs:element name="B" type="xs:string"/>
  <xs:element name="C" minOccurs="0"><xs:simpleType><xs:restriction base="xs:string"><xs:maxLength value="3"/>
  </xs:restriction></xs:simpleType></xs:element>
 </xs:sequence><xs:attribute name="v" use="required"/></xs:complexType></xs:element></xs:schema>"""
ENGLISH = re.compile(r"\b(?:element|expected|value|valid|attribute|missing|allowed|required|atomic|type|is|not)\b",
                     re.I)


@pytest.mark.parametrize("doc, words", [
    (b'<Root xmlns="urn:t" v="1"><A>x</A><B/></Root>', "giá trị của «A» không hợp lệ"),
    (b'<Root xmlns="urn:t" v="1"><A>1</A><B/><C>abcd</C></Root>', "giá trị của «C» không hợp lệ"),
    (b'<Root xmlns="urn:t"><A>1</A><B/></Root>', "«Root» thiếu thuộc tính «v»"),
    (b'<Root xmlns="urn:t" v="1"><A>1</A></Root>', "«Root» thiếu «B»"),
    (b'<Root xmlns="urn:t" v="1" w="2"><A>1</A><B/></Root>', "thuộc tính «w» mà mẫu không cho phép"),
    (b'<Root xmlns="urn:t" v="1"><B/></Root>', "«B» không đúng vị trí; mẫu cần «A»"),
    (b'<Other xmlns="urn:t"/>', "«Other» không phải phần tử gốc"),
    (b'<Root xmlns="urn:t" v="1"><A>1</A><B/><C>a</C><D/></Root>', "«D» không có trong mẫu"),
])
def test_each_kind_of_schema_error_in_words(doc, words):
    schema = etree.XMLSchema(etree.fromstring(XSD))
    assert not schema.validate(etree.fromstring(doc))
    with translation.override("vi"):
        said = [schemas.in_words(e) for e in schema.error_log]
    assert any(words in s for s in said), said
    for s in said:
        assert s.startswith("dòng 1:") and not ENGLISH.search(s), s


def test_a_broken_schema_names_its_line():
    with translation.override("vi"), pytest.raises(InvalidInput) as caught:
        schemas.compile_xsd('<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">\n<xs:element name="A"\n')
    assert "dòng" in caught.value.message and not ENGLISH.search(caught.value.message)
