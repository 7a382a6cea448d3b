"""Settings for the test suite: a throw-away data directory per test process."""

import os
import tempfile

# One data directory (keys, SoftHSM tokens, archive) per test process: xdist workers inherit
# the controller's environment, so never reuse an inherited one.
os.environ["KYSO_DATA_DIR"] = tempfile.mkdtemp(prefix=f"kyso-test-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-")
os.environ.pop("SOFTHSM2_CONF", None)
os.environ.setdefault("KYSO_SECRET_KEY", "test-only-secret-key-not-for-production-0123456789")
os.environ["KYSO_TESTING"] = "1"

from kyso.settings import *  # noqa: E402,F401,F403
from kyso.settings import DATA_DIR  # noqa: E402

# Fast password hashing in tests only; production keeps Django's default (PBKDF2).
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
KYSO_SMS_BACKEND = "kyso.notify.sms.MemorySmsBackend"
CELERY_TASK_ALWAYS_EAGER = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(DATA_DIR / "media")}},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
(DATA_DIR / "static").mkdir(parents=True, exist_ok=True)

# The in-memory SQLite test database is one connection, shared by the live server's request threads (two browsers
# at once: the leader's tablet and phone): requests to it take turns, or their savepoints interleave.
from kyso.settings import MIDDLEWARE  # noqa: E402

MIDDLEWARE = ["kyso.core.testing.SharedConnectionTurns", *MIDDLEWARE]
