"""Kyso settings: everything that varies between machines comes from the environment, read through the one
table of settings with their defaults and meanings (kyso/config.py, rendered into the README).

Safe production defaults: DEBUG off, secure headers, sessions of one working day; each secret
(Django's key, the key store passphrase, the SAD key, the carrier password) comes from its own
variable or 0600 file or, on a single machine, is generated once at random under the data
directory with mode 0600 (kyso/secretconf.py).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from kyso import __version__, config, secretconf

BASE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = BASE_DIR.parent.parent


DATA_DIR = Path(config.text("KYSO_DATA_DIR", str(PROJECT_ROOT / "var"))).resolve()
DEBUG = config.flag("KYSO_DEBUG")
TESTING = config.flag("KYSO_TESTING")


# --- Secrets: one per job, each from its own variable or 0600 file (kyso/secretconf.py, docs/secrets.md).
# A single-machine install (embedded SQLite, debug or tests) generates what is missing into <data dir>/secrets/;
# a deployment on a database server with debug off must give each one, strong and distinct.
_EMBEDDED = not config.text("DATABASE_URL", "")
try:
    _SECRETS = secretconf.load_all(DATA_DIR, strict=not (DEBUG or TESTING),
                                   may_generate=DEBUG or TESTING or _EMBEDDED or config.flag("KYSO_GENERATE_SECRETS"))
except secretconf.SecretError as _exc:
    raise ImproperlyConfigured(f"Kyso secrets: {_exc}") from None
SECRET_KEY = _SECRETS["secret_key"]
# Rotation of SECRET_KEY: the previous values here keep sessions and signed links valid until they expire.
SECRET_KEY_FALLBACKS = config.items("KYSO_SECRET_KEY_FALLBACKS")
KYSO_VERSION = __version__

ALLOWED_HOSTS = config.items("KYSO_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = config.items("KYSO_CSRF_TRUSTED_ORIGINS")
# The public base URL: printed in certificates (AIA, CRL DP) and receipts.
KYSO_BASE_URL = config.text("KYSO_BASE_URL").rstrip("/")
# Signature verification: extra accepted roots (PEM/DER files: the national root CA, the Government's
# dedicated CA, licensed public CAs) and whether to fetch CRL/OCSP over the network for foreign certificates.
KYSO_TRUST_DIR = config.text("KYSO_TRUST_DIR")
KYSO_VERIFY_FETCH = config.flag("KYSO_VERIFY_FETCH")
KYSO_SIGNER_HELPER_URL = config.text("KYSO_SIGNER_HELPER_URL", "http://127.0.0.1:8765")
# Archived signatures get a new archive time-stamp this many days before their certificate or algorithm ends.
KYSO_ARCHIVE_RENEWAL_MARGIN_DAYS = config.integer("KYSO_ARCHIVE_RENEWAL_MARGIN_DAYS")

# Mobile signing (letter 346): the carrier's MSSP endpoint (ETSI TS 102 204; "local" = the built-in
# simulator), this application's AP credentials there, and how long a holder has to answer.
KYSO_MSSP_URL = config.text("KYSO_MSSP_URL")
KYSO_MSSP_AP_ID = config.text("KYSO_MSSP_AP_ID")
KYSO_MSSP_ID = config.text("KYSO_MSSP_ID")
KYSO_MSSP_PASSWORD = _SECRETS["mssp_password"]
# The key that seals the PIN inside a remote-signing authorisation (SAD): its own secret, not SECRET_KEY.
KYSO_SAD_KEY = _SECRETS["sad_key"]
KYSO_MOBILE_REQUEST_TTL = config.integer("KYSO_MOBILE_REQUEST_TTL")

INSTALLED_APPS = [
    # Kyso apps, one job each (see docs/architecture.md). First: where two apps provide the same resource the
    # first one wins, and for words that matters — Django's and the libraries' catalogues translate some English
    # words otherwise ("History" as "Bản ghi nhớ", a memorandum; "Summary" as "Tóm tắt", not "Trích yếu").
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
    "kyso.jobs",        # last of Kyso's: its ready() collects every app's `tasks` module (job kinds, periodic jobs)
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
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "kyso.core.security.ContentSecurityPolicyMiddleware",
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
            # Display filters (indication, dn, when, month, revocation_reason…) usable in every template.
            "builtins": ["kyso.core.templatetags.kyso"],
        },
    },
]

# --- Database: SQLite under the data directory unless DATABASE_URL says otherwise.
_default_sqlite = f"sqlite:///{DATA_DIR / 'kyso.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(config.text("DATABASE_URL", _default_sqlite), conn_max_age=60)}
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
AUTHENTICATION_BACKENDS = ["kyso.accounts.backends.ThrottleBackend", "kyso.accounts.backends.LockoutModelBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
KYSO_LOGIN_MAX_FAILURES = config.integer("KYSO_LOGIN_MAX_FAILURES")
KYSO_LOGIN_LOCKOUT_MINUTES = config.integer("KYSO_LOGIN_LOCKOUT_MINUTES")
# django-axes: failures counted per (login, client address), never per login alone, so that nobody can lock
# the administrator out from elsewhere; the same answer whether the login exists or not.
AXES_FAILURE_LIMIT = KYSO_LOGIN_MAX_FAILURES
AXES_COOLOFF_TIME = dt.timedelta(minutes=KYSO_LOGIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "kyso.accounts.backends.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False
AXES_ENABLE_ADMIN = True
# Axes' middleware would answer a paused address with its own page: Kyso's form gives the one answer instead.
SILENCED_SYSTEM_CHECKS = ["axes.W002"]

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600
# --- Browser security outside debug mode: cookies only over HTTPS (browsers accept them on http://localhost too;
# KYSO_SECURE_COOKIES=0 for a plain-HTTP demo on another name), HSTS for a year on HTTPS responses, no MIME
# sniffing, same-origin referrers, no framing, and a Content-Security-Policy allowing only this server's assets.
SESSION_COOKIE_SECURE = config.flag("KYSO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_FAILURE_VIEW = "kyso.core.views.csrf_failure"
SECURE_HSTS_SECONDS = config.integer("KYSO_HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = config.flag("KYSO_HSTS_SUBDOMAINS")
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
KYSO_CSP = "" if DEBUG else (
    "default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'nonce-{nonce}'; "
    "style-src-attr 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)

# --- Internationalisation: Vietnamese first, English available.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
# Dates typed and shown as dd/mm/yyyy in both languages (kyso/formats): never month-first.
FORMAT_MODULE_PATH = ["kyso.formats"]
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]
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
# Imports (staff, units, certificate registers, SIM lines): a file over any of these is refused before it is read,
# with nothing written. XLSX files are zip archives: their directory is checked before the workbook is opened.
KYSO_IMPORT_MAX_BYTES = config.integer("KYSO_IMPORT_MAX_BYTES")  # the file as sent
KYSO_IMPORT_MAX_UNCOMPRESSED_BYTES = config.integer("KYSO_IMPORT_MAX_UNCOMPRESSED_BYTES")
KYSO_IMPORT_MAX_ZIP_ENTRIES = config.integer("KYSO_IMPORT_MAX_ZIP_ENTRIES")  # parts of one XLSX file
KYSO_IMPORT_MAX_COMPRESSION_RATIO = config.integer("KYSO_IMPORT_MAX_COMPRESSION_RATIO")  # per part
KYSO_IMPORT_MAX_ROWS = config.integer("KYSO_IMPORT_MAX_ROWS")
KYSO_IMPORT_MAX_COLUMNS = config.integer("KYSO_IMPORT_MAX_COLUMNS")

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
    # Bodies: a JSON object of bounded numbers (kyso.core.api.parsers), forms, files.
    "DEFAULT_PARSER_CLASSES": ["kyso.core.api.parsers.JsonObjectParser", "kyso.core.api.parsers.FormParser",
                               "kyso.core.api.parsers.MultiPartParser"],
    # JSON only: the browsable pages answered English HTML to any client sending Accept: text/html, errors included
    # (the API's documentation is /api/docs/).
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "kyso.core.api.negotiation.FirstRendererWhenNoneFits",
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
    # Choice sets that share a field name across domains get the domain's name, not a hash suffix.
    "ENUM_NAME_OVERRIDES": {
        "CertificateStatusEnum": "kyso.lifecycle.models.CertStatus",
        "DeviceStateEnum": "kyso.lifecycle.models.DeviceState",
        "DocumentTypeEnum": "kyso.eoffice.models.DocType",
        "DossierChannelEnum": "kyso.portal.models.Channel",
        "DossierKindEnum": "kyso.portal.models.DossierKind",
        "DossierStatusEnum": "kyso.portal.models.Status",
        "IncomingStateEnum": "kyso.eoffice.models.IncomingState",
        "LineStateEnum": "kyso.sims.models.SubState",
        "ListStateEnum": "kyso.lifecycle.models.ListState",
        "OutgoingStateEnum": "kyso.eoffice.models.OutgoingState",
        "SigningChannelEnum": "kyso.mobile.models.Channel",
        "SubscriberKindEnum": "kyso.lifecycle.models.SubscriberKind",
    },
}

# --- E-mail and SMS (notifications)
EMAIL_BACKEND = config.text(
    "KYSO_EMAIL_BACKEND",
    "django.core.mail.backends.filebased.EmailBackend" if not config.text("KYSO_SMTP_HOST") else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_FILE_PATH = str(DATA_DIR / "mail")
EMAIL_HOST = config.text("KYSO_SMTP_HOST") or "localhost"
EMAIL_PORT = config.integer("KYSO_SMTP_PORT")
DEFAULT_FROM_EMAIL = config.text("KYSO_FROM_EMAIL")
KYSO_SMS_BACKEND = config.text("KYSO_SMS_BACKEND")
KYSO_SMS_GATEWAY_URL = config.text("KYSO_SMS_GATEWAY_URL")

# --- Background work: Celery on Redis when a broker is configured; inline otherwise.
CELERY_BROKER_URL = config.text("KYSO_CELERY_BROKER")
CELERY_RESULT_BACKEND = config.text("KYSO_CELERY_RESULTS") or None
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = config.text("KYSO_CELERY_QUEUE")
# Jobs (kyso.jobs): rows in the database run by `kyso worker` (or Celery workers with a broker); a running job
# whose worker has not written its heartbeat for this long is taken over by another worker from its checkpoint.
KYSO_JOBS_STALE_SECONDS = config.integer("KYSO_JOBS_STALE_SECONDS")

# --- Cache and sessions (docs/deploy.md). Embedded default: a cache per process, sessions in the database.
# KYSO_REDIS_URL (e.g. redis://redis:6379/0; KYSO_CACHE_URL is the older name) puts the cache in Redis, shared by every
# node (rate limits, pre-signed OCSP), and sessions in "cached_db": read from Redis, written through to the database,
# so a node or Redis restarting logs nobody out and any node serves any user (no sticky sessions needed).
KYSO_REDIS_URL = config.text("KYSO_REDIS_URL") or config.text("KYSO_CACHE_URL")
if KYSO_REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": KYSO_REDIS_URL,
                          "KEY_PREFIX": config.text("KYSO_CACHE_PREFIX")}}
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
KYSO_RATE_LIMIT_CACHE = config.text("KYSO_RATE_LIMIT_CACHE")
KYSO_OCSP_CACHE = config.text("KYSO_OCSP_CACHE")
# The anonymous time-stamp endpoint (/pki/tsa): requests per client address and minute (0: no limit).
KYSO_TSA_RATE_PER_MINUTE = config.integer("KYSO_TSA_RATE_PER_MINUTE")
KYSO_OCSP_NONCE_RATE_PER_MINUTE = config.integer("KYSO_OCSP_NONCE_RATE_PER_MINUTE")
# The public dossier status (/portal/status/, /api/v1/portal/status/<code>/): look-ups per address and minute.
KYSO_STATUS_RATE_PER_MINUTE = config.integer("KYSO_STATUS_RATE_PER_MINUTE")

# --- Audit
# A signed checkpoint after every transaction that wrote audit records (1); records are also MACed one by one.
KYSO_AUDIT_CHECKPOINT_EVERY = config.integer("KYSO_AUDIT_CHECKPOINT_EVERY")
KYSO_TRUSTED_PROXIES = config.items("KYSO_TRUSTED_PROXIES")
if KYSO_TRUSTED_PROXIES:
    # Behind the TLS-terminating proxy (which sets this header itself): requests are secure, HSTS is sent.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Archive (kyso.files.backends; read there at each use, listed here for the configuration table): where archived
# bytes live — "dir" (KYSO_ARCHIVE_DIR, default <data dir>/files: on a cluster a directory every node mounts), "db"
# (the database) or "s3" (KYSO_ARCHIVE_S3_BUCKET, KYSO_ARCHIVE_S3_ENDPOINT; AWS_* credentials, django-storages).
KYSO_ARCHIVE = config.text("KYSO_ARCHIVE")

# --- Key store (kyso.pki.keystore): software keys are encrypted with this passphrase.
KYSO_KEYSTORE_DIR = Path(config.text("KYSO_KEYSTORE_DIR", str(DATA_DIR / "keys")))
KYSO_KEYSTORE_PASSPHRASE = _SECRETS["keystore_passphrase"]
# Accepted once per key file and re-wrapped under the passphrase above (the old default was SECRET_KEY).
KYSO_KEYSTORE_LEGACY_PASSPHRASES = secretconf.legacy_keystore_passphrases(os.environ, SECRET_KEY, KYSO_KEYSTORE_PASSPHRASE)
KYSO_PKCS11_MODULE = config.text("KYSO_PKCS11_MODULE")
KYSO_PKCS11_TOKEN = config.text("KYSO_PKCS11_TOKEN")
KYSO_PKCS11_PIN = config.text("KYSO_PKCS11_PIN")
KYSO_PIN_MAX_FAILURES = config.integer("KYSO_PIN_MAX_FAILURES")
KYSO_PKCS11_MAX_SESSIONS = config.integer("KYSO_PKCS11_MAX_SESSIONS")
KYSO_SOFTHSM_DIR = Path(config.text("KYSO_SOFTHSM_DIR", str(DATA_DIR / "softhsm")))
# Key labels (or prefixes ending in *) kept in the PKCS#11 token instead of software files.
KYSO_HSM_KEYS = config.items("KYSO_HSM_KEYS")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": config.text("KYSO_LOG_LEVEL", "WARNING")},
    "loggers": {"kyso": {"level": config.text("KYSO_LOG_LEVEL", "INFO")}},
}
