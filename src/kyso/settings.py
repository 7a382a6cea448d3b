"""Kyso settings: everything that varies between machines comes from the environment.

Safe production defaults: DEBUG off, secure headers, sessions of one working day; the
secret key comes from KYSO_SECRET_KEY or, on a single machine, is generated once at random
and kept under the data directory with mode 0600.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from kyso import __version__

BASE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = BASE_DIR.parent.parent


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DATA_DIR = Path(os.environ.get("KYSO_DATA_DIR", PROJECT_ROOT / "var")).resolve()
DEBUG = _env_bool("KYSO_DEBUG", False)
TESTING = _env_bool("KYSO_TESTING", False)


def _secret_key() -> str:
    key = os.environ.get("KYSO_SECRET_KEY")
    if key:
        return key
    # Embedded/demo mode: a random key kept next to the SQLite database, 0600.
    path = DATA_DIR / "secret_key"
    if path.exists():
        return path.read_text().strip()
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
    return key


SECRET_KEY = _secret_key()
KYSO_VERSION = __version__

ALLOWED_HOSTS = [h.strip() for h in os.environ.get("KYSO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("KYSO_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]
# The public base URL: printed in certificates (AIA, CRL DP) and receipts.
KYSO_BASE_URL = os.environ.get("KYSO_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# Signature verification: extra accepted roots (PEM/DER files: the national root CA, the Government's
# dedicated CA, licensed public CAs) and whether to fetch CRL/OCSP over the network for foreign certificates.
KYSO_TRUST_DIR = os.environ.get("KYSO_TRUST_DIR", "")
KYSO_VERIFY_FETCH = os.environ.get("KYSO_VERIFY_FETCH", "").lower() in ("1", "true", "yes")

# Mobile signing (letter 346): the carrier's MSSP endpoint (ETSI TS 102 204; "local" = the built-in
# simulator), this application's AP credentials there, and how long a holder has to answer.
KYSO_MSSP_URL = os.environ.get("KYSO_MSSP_URL", "local")
KYSO_MSSP_AP_ID = os.environ.get("KYSO_MSSP_AP_ID", "")
KYSO_MSSP_AP_PWD = os.environ.get("KYSO_MSSP_AP_PWD", "")
KYSO_MOBILE_REQUEST_TTL = int(os.environ.get("KYSO_MOBILE_REQUEST_TTL", "180"))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # Kyso apps, one job each (see docs/architecture.md)
    "kyso.core",
    "kyso.audit",
    "kyso.workdays",
    "kyso.org",
    "kyso.accounts",
    "kyso.files",
    "kyso.notify",
    "kyso.pki",
    "kyso.lifecycle",
    "kyso.signing",
    "kyso.portal",
    "kyso.mobile",
    "kyso.sims",
    "kyso.eoffice",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "kyso.core.middleware.RequestContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "kyso.urls"
WSGI_APPLICATION = "kyso.wsgi.application"
AUTH_USER_MODEL = "accounts.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kyso.core.context_processors.kyso",
            ],
        },
    },
]

# --- Database: SQLite under the data directory unless DATABASE_URL says otherwise.
_default_sqlite = f"sqlite:///{DATA_DIR / 'kyso.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(os.environ.get("DATABASE_URL", _default_sqlite), conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # The audit chain head is read then written in one transaction: take the write
            # lock at BEGIN so two writers queue instead of failing with "database is locked".
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    DATABASES["default"].setdefault("TEST", {})
# Every web request is one transaction: the audit record is written with the change or not at all.
DATABASES["default"]["ATOMIC_REQUESTS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Passwords and login
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = ["kyso.accounts.backends.LockoutModelBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
KYSO_LOGIN_MAX_FAILURES = int(os.environ.get("KYSO_LOGIN_MAX_FAILURES", "5"))
KYSO_LOGIN_LOCKOUT_MINUTES = int(os.environ.get("KYSO_LOGIN_LOCKOUT_MINUTES", "15"))

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600
SESSION_COOKIE_SECURE = _env_bool("KYSO_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"

# --- Internationalisation: Vietnamese first, English available.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files (self-hosted: no CDN on these machines)
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(DATA_DIR / "media")}},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
# Uploads: refuse huge bodies early; e-dossiers and documents are capped by each app too.
DATA_UPLOAD_MAX_MEMORY_SIZE = 30 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
KYSO_MAX_UPLOAD_BYTES = int(os.environ.get("KYSO_MAX_UPLOAD_BYTES", str(25 * 1024 * 1024)))

# --- REST API
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "kyso.accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "kyso.core.api.pagination.KeysetPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "kyso.core.api.errors.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer", "rest_framework.renderers.BrowsableAPIRenderer"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Kyso API",
    "DESCRIPTION": "Digital certificates, signatures and signed e-dossiers of Vietnam Social Security.",
    "VERSION": __version__,
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

# --- E-mail and SMS (notifications)
EMAIL_BACKEND = os.environ.get(
    "KYSO_EMAIL_BACKEND",
    "django.core.mail.backends.filebased.EmailBackend" if not os.environ.get("KYSO_SMTP_HOST") else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_FILE_PATH = str(DATA_DIR / "mail")
EMAIL_HOST = os.environ.get("KYSO_SMTP_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("KYSO_SMTP_PORT", "25"))
DEFAULT_FROM_EMAIL = os.environ.get("KYSO_FROM_EMAIL", "kyso@vss.gov.vn")
KYSO_SMS_BACKEND = os.environ.get("KYSO_SMS_BACKEND", "kyso.notify.sms.FileSmsBackend")
KYSO_SMS_GATEWAY_URL = os.environ.get("KYSO_SMS_GATEWAY_URL", "")

# --- Background work: Celery on Redis when a broker is configured; inline otherwise.
CELERY_BROKER_URL = os.environ.get("KYSO_CELERY_BROKER", "")
CELERY_RESULT_BACKEND = os.environ.get("KYSO_CELERY_RESULTS", "") or None
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "audit-checkpoint": {"task": "kyso.audit.tasks.checkpoint", "schedule": 300.0},
    "pki-crl-refresh": {"task": "kyso.pki.tasks.refresh_crls", "schedule": 3600.0},
    "notify-retry": {"task": "kyso.notify.tasks.retry_failed", "schedule": 600.0},
    "lifecycle-daily": {"task": "kyso.lifecycle.tasks.daily", "schedule": 86400.0},
    "sims-daily": {"task": "kyso.sims.tasks.daily", "schedule": 86400.0},
}

# --- Audit
KYSO_AUDIT_CHECKPOINT_EVERY = int(os.environ.get("KYSO_AUDIT_CHECKPOINT_EVERY", "500"))
KYSO_TRUSTED_PROXIES = [p.strip() for p in os.environ.get("KYSO_TRUSTED_PROXIES", "").split(",") if p.strip()]

# --- Key store (kyso.pki.keystore): software keys are encrypted with this passphrase.
KYSO_KEYSTORE_DIR = Path(os.environ.get("KYSO_KEYSTORE_DIR", DATA_DIR / "keys"))
KYSO_KEYSTORE_PASSPHRASE = os.environ.get("KYSO_KEYSTORE_PASSPHRASE", "") or SECRET_KEY
KYSO_PKCS11_MODULE = os.environ.get("KYSO_PKCS11_MODULE", "/usr/lib/softhsm/libsofthsm2.so")
KYSO_PKCS11_TOKEN = os.environ.get("KYSO_PKCS11_TOKEN", "kyso")
KYSO_PKCS11_PIN = os.environ.get("KYSO_PKCS11_PIN", "")
KYSO_SOFTHSM_DIR = Path(os.environ.get("KYSO_SOFTHSM_DIR", DATA_DIR / "softhsm"))
# Key labels (or prefixes ending in *) kept in the PKCS#11 token instead of software files.
KYSO_HSM_KEYS = [x for x in os.environ.get("KYSO_HSM_KEYS", "").split(",") if x.strip()]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("KYSO_LOG_LEVEL", "WARNING")},
    "loggers": {"kyso": {"level": os.environ.get("KYSO_LOG_LEVEL", "INFO")}},
}
