"""The archive keeps every file by its SHA-256, never serves bytes that changed, never deletes — in a shared
directory or in the database, so that any node of a cluster reads what another wrote (issues 18 and 19)."""

import hashlib

import pytest

from kyso.core.errors import IntegrityFailure, InvalidState, NotFound
from kyso.files import backends, storage
from kyso.files.models import Blob, StoredFile

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["dir", "db"])
def kind(request, monkeypatch):
    monkeypatch.setenv("KYSO_ARCHIVE", request.param)
    return request.param


def test_store_and_read_back_by_hash(kind, as_user):
    with as_user(None):
        stored = storage.store(b"%PDF-1.7 quyet dinh", name="../../qd.pdf", media_type="application/pdf")
    assert stored.sha256 == hashlib.sha256(b"%PDF-1.7 quyet dinh").hexdigest()
    assert stored.name == "qd.pdf"                      # no path tricks in names
    assert storage.read(stored) == b"%PDF-1.7 quyet dinh"
    if kind == "db":
        assert Blob.objects.filter(name=storage.name_for(stored.sha256)).exists()


def test_the_same_bytes_twice_share_one_copy(kind, as_user):
    with as_user(None):
        a = storage.store(b"same", name="a.txt")
        b = storage.store(b"same", name="b.txt")
    assert a.pk != b.pk and a.sha256 == b.sha256
    assert storage.read(b) == b"same"


def test_bytes_changed_in_the_archive_are_refused(kind, as_user):
    with as_user(None):
        stored = storage.store(b"original", name="x.bin")
    name = storage.name_for(stored.sha256)
    if kind == "dir":
        path = backends.archive().path(name)
        with open(path, "wb") as fh:
            fh.write(b"tampered")
    else:
        Blob.objects.filter(name=name).update(data=b"tampered")
    with pytest.raises(IntegrityFailure) as exc:
        storage.read(stored)
    assert exc.value.code == "files.tampered"


def test_a_missing_file_is_said_so(kind, as_user):
    with as_user(None):
        stored = storage.store(b"gone", name="g.bin")
    name = storage.name_for(stored.sha256)
    if kind == "dir":
        import os

        os.unlink(backends.archive().path(name))
    else:
        Blob.objects.filter(name=name).delete()
    with pytest.raises(NotFound):
        storage.read(stored)


def test_archived_files_are_never_deleted(kind, as_user):
    with as_user(None):
        stored = storage.store(b"keep", name="k.bin")
    with pytest.raises(InvalidState):
        stored.delete()
    assert StoredFile.objects.filter(pk=stored.pk).exists()
    with pytest.raises(PermissionError):
        backends.DatabaseStorage().delete(storage.name_for(stored.sha256))


def test_a_damaged_copy_is_replaced_by_a_good_one_on_the_next_store(as_user, monkeypatch):
    monkeypatch.setenv("KYSO_ARCHIVE", "dir")
    with as_user(None):
        first = storage.store(b"payload", name="p.bin")
    with open(backends.archive().path(storage.name_for(first.sha256)), "wb") as fh:
        fh.write(b"half")
    with as_user(None):
        second = storage.store(b"payload", name="p.bin")
    assert storage.read(second) == b"payload" and storage.read(first) == b"payload"
