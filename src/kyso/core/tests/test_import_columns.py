"""The import pages name the columns as people write them in their file, in Vietnamese; the importers read
those headings, and the English names of older files still (issue 17, point 2: "English column names on the
import page"). What a page shows as a code is read for English words too."""

import pytest

from kyso.core import pagecheck
from kyso.core.errors import InvalidInput
from kyso.core.tables import headings, read_table
from kyso.org import importing as org_importing
from kyso.sims import importing as sims_importing

TABLES = [(sims_importing.COLUMNS, sims_importing.REQUIRED), (org_importing.UNIT_COLUMNS, org_importing.UNIT_REQUIRED),
          (org_importing.STAFF_COLUMNS, org_importing.STAFF_REQUIRED)]


def test_the_page_checker_reads_codes_for_english_words():
    kinds = [p.kind for p in pagecheck.problems("<p><code>email</code> (<code>id_number</code>), "
                                                "<code>in_service_on, msisdn</code></p>")]
    assert kinds == ["english"] * 4
    codes = ("<p><code>000.00.10.H01-260307-0001</code> <code>HN.BD</code> <code>VSS</code> <code>a1b2c3d4e5f6</code>"
             " <code>https://kyso.example/pki/ocsp</code> <code>Authorization: Token …</code></p>")
    assert pagecheck.problems(codes) == []


@pytest.mark.parametrize("columns,required", TABLES)
def test_the_importers_read_the_vietnamese_headings_and_the_old_english_ones(columns, required):
    for names in (headings(columns), list(columns)):
        table = read_table("x.csv", (",".join(names) + "\n" + ",".join("1" for _ in names) + "\n").encode(),
                           columns, required)
        assert table.unknown_headers == [] and set(table.rows[0][1]) == set(columns)
    with pytest.raises(InvalidInput) as exc:
        read_table("x.csv", "Ghi chú\nx\n".encode(), columns, required)
    assert headings(columns, required[:1])[0] in exc.value.message and required[0] not in exc.value.message


@pytest.mark.django_db
@pytest.mark.parametrize("url,shown", [
    ("/sims/import/", lambda: sum(sims_importing.columns_in_words().values(), [])),
    ("/org/import/", lambda: [h for _label, t in org_importing.columns_in_words() for h in t["required"] + t["optional"]]),
])
def test_the_import_pages_name_the_columns_in_vietnamese(client, demo, url, shown):
    client.force_login(demo.user("admin"))
    r = client.get(url, HTTP_ACCEPT_LANGUAGE="vi")
    html = r.content.decode()
    assert r.status_code == 200
    assert all(heading in html for heading in shown()), [h for h in shown() if h not in html]
    assert pagecheck.problems(html) == []
    assert "msisdn" not in html and "in_service_on" not in html and "email_domain" not in html
