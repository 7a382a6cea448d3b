"""Every setting of Kyso in one table: its environment variable, its default and what it means.

`kyso/settings.py` reads the environment through this table (`text`, `integer`, `flag`, `items`), so a default is
written once, here. The few settings read elsewhere (the archive back end, `kyso serve`, the CLI's user, the test
browser) use the same names and defaults; `core/tests/test_configuration.py` checks that every `KYSO_*` name read
anywhere is in the table with the same default, that every name in the table is read somewhere, and that the
README's configuration section is `render()` of this table (`python tools/config_table.py` rewrites it).

No Django here: the settings module imports this before Django is configured.
"""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Setting:
    name: str
    default: str | None        # the value when the variable is unset; None: computed, described by `shown`
    meaning: str
    group: str
    shown: str = ""            # the default as people read it, when it is computed or clearer in words

    @property
    def default_text(self) -> str:
        if self.shown:
            return self.shown
        if self.default in (None, ""):
            return "none"
        return f"`{self.default}`"


SITE, SECRETS, SECURITY, KEYS, SIGNING, MOBILE, IMPORTS, NOTIFY, WORK, ARCHIVE, SETTINGS_ONLY, DEVELOPMENT = (
    "Machine and site", "Secrets (docs/secrets.md)", "Security", "Keys and PKI", "Signature verification and archives",
    "Mobile signing (letter 346)", "Imports", "Notifications", "Background work, cache and cluster",
    "File archive", "Django settings only (set in a settings module, not the environment)",
    "Development, tests and benchmarks")

TABLE: tuple[Setting, ...] = (
    # --- machine and site
    Setting("KYSO_DATA_DIR", None, "SQLite database, keys, archive, mail/SMS drop folders", SITE, shown="`./var`"),
    Setting("DATABASE_URL", None, "the database, e.g. `postgres://user@host:5432/kyso`", SITE,
            shown="SQLite in the data directory"),
    Setting("KYSO_DEBUG", "0", "development mode (Django's DEBUG; relaxes cookies, HSTS and the CSP)", SITE),
    Setting("KYSO_TESTING", "0", "set by the test settings: secrets may be generated, checks relaxed", SITE),
    Setting("KYSO_BASE_URL", "http://127.0.0.1:8000", "public URL printed in certificates (AIA, CRL DP) and receipts",
            SITE),
    Setting("KYSO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver", "host names this server answers (comma-separated)",
            SITE),
    Setting("KYSO_CSRF_TRUSTED_ORIGINS", "", "origins trusted for CSRF behind a proxy (comma-separated)", SITE),
    Setting("KYSO_LOG_LEVEL", None, "log level of Kyso's and every other logger", SITE,
            shown="`INFO` for Kyso, `WARNING` for the rest"),
    Setting("KYSO_HOST", "127.0.0.1", "address `kyso serve` listens on", SITE),
    Setting("KYSO_PORT", "8000", "port `kyso serve` listens on", SITE),
    Setting("KYSO_WORKERS", "3", "gunicorn worker processes started by `kyso serve`", SITE),
    Setting("KYSO_CLI_USER", "", "the Kyso login CLI commands act as when `--user` is not given", SITE,
            shown="none (the server operator)"),
    # --- secrets
    Setting("KYSO_SECRET_KEY", None, "Django's key: sessions, CSRF, signed values (or `KYSO_SECRET_KEY_FILE`, 0600)",
            SECRETS, shown="generated once into `<data dir>/secrets/` on a single machine; required on a database "
                           "server with debug off"),
    Setting("KYSO_SECRET_KEY_FILE", "", "file (mode 0600) holding `KYSO_SECRET_KEY`", SECRETS),
    Setting("KYSO_SECRET_KEY_FALLBACKS", "", "previous secret keys (comma-separated): sessions and signed links stay "
            "valid during a rotation", SECRETS),
    Setting("KYSO_KEYSTORE_PASSPHRASE", None, "passphrase of the software key store (or `…_FILE`)", SECRETS,
            shown="as `KYSO_SECRET_KEY`"),
    Setting("KYSO_KEYSTORE_PASSPHRASE_FILE", "", "file (mode 0600) holding `KYSO_KEYSTORE_PASSPHRASE`", SECRETS),
    Setting("KYSO_KEYSTORE_OLD_PASSPHRASE", "", "the previous key store passphrase during a rotation "
            "(`kyso keystore rewrap`)", SECRETS),
    Setting("KYSO_SAD_KEY", None, "seals the PIN inside a remote-signing authorisation (SAD) (or `…_FILE`)", SECRETS,
            shown="as `KYSO_SECRET_KEY`"),
    Setting("KYSO_SAD_KEY_FILE", "", "file (mode 0600) holding `KYSO_SAD_KEY`", SECRETS),
    Setting("KYSO_MSSP_PASSWORD", None, "this application's password at the carrier (AP_PWD) (or `…_FILE`)", SECRETS,
            shown="as `KYSO_SECRET_KEY`"),
    Setting("KYSO_MSSP_PASSWORD_FILE", "", "file (mode 0600) holding `KYSO_MSSP_PASSWORD`", SECRETS),
    Setting("KYSO_MSSP_AP_PWD", "", "older name of `KYSO_MSSP_PASSWORD`, still accepted", SECRETS),
    Setting("KYSO_GENERATE_SECRETS", "0", "generate missing secrets even on a database server (first start)", SECRETS),
    # --- security
    Setting("KYSO_SECURE_COOKIES", None, "cookies only over HTTPS (`0` for a plain-HTTP demo under another name)",
            SECURITY, shown="on, off in debug"),
    Setting("KYSO_HSTS_SECONDS", None, "Strict-Transport-Security max-age on HTTPS responses", SECURITY,
            shown="`31536000` (a year), `0` in debug"),
    Setting("KYSO_HSTS_SUBDOMAINS", "0", "HSTS covers subdomains too", SECURITY),
    Setting("KYSO_TRUSTED_PROXIES", "", "addresses of the TLS-terminating proxies whose X-Forwarded-For/-Proto are "
            "believed (comma-separated)", SECURITY),
    Setting("KYSO_LOGIN_MAX_FAILURES", "5", "failed log-ins (per login and address) before a pause", SECURITY),
    Setting("KYSO_LOGIN_LOCKOUT_MINUTES", "15", "length of that pause, in minutes", SECURITY),
    Setting("KYSO_TSA_RATE_PER_MINUTE", "60", "time-stamps per client address and minute on the anonymous `/pki/tsa` "
            "(0: no limit)", SECURITY),
    Setting("KYSO_STATUS_RATE_PER_MINUTE", "20", "look-ups of the public dossier status per client address and "
            "minute (0: no limit)", SECURITY),
    Setting("KYSO_OCSP_NONCE_RATE_PER_MINUTE", "120", "OCSP requests with a nonce answered with a fresh signature per "
            "client address and minute; past it, the pre-signed answer without the nonce (RFC 5019) (0: no limit)",
            SECURITY),
    Setting("KYSO_RATE_LIMIT_CACHE", "default", "the Django cache that counts rate limits", SECURITY),
    Setting("KYSO_AUDIT_CHECKPOINT_EVERY", "1", "a signed audit checkpoint after every N transactions that wrote "
            "audit records", SECURITY),
    # --- keys and PKI
    Setting("KYSO_KEYSTORE_DIR", None, "the software key store (encrypted PKCS#8 files)", KEYS,
            shown="`<data dir>/keys`"),
    Setting("KYSO_HSM_KEYS", "", "key labels (or prefixes ending in `*`) kept in the PKCS#11 token instead of files "
            "(comma-separated)", KEYS),
    Setting("KYSO_PKCS11_MODULE", "/usr/lib/softhsm/libsofthsm2.so", "the PKCS#11 library of the HSM", KEYS),
    Setting("KYSO_PKCS11_TOKEN", "kyso", "label of the platform's PKCS#11 token", KEYS),
    Setting("KYSO_PKCS11_PIN", "", "user PIN of that token", KEYS),
    Setting("KYSO_SOFTHSM_DIR", None, "SoftHSM's token directory (the HSM stand-in)", KEYS,
            shown="`<data dir>/softhsm`"),
    Setting("KYSO_PKCS11_MAX_SESSIONS", "256", "holders' tokens kept logged in per process; past it the least "
            "recently used logs out and logs in again with its PIN on next use", KEYS),
    Setting("KYSO_PIN_MAX_FAILURES", "5", "wrong PINs in a row before a token's key is blocked", KEYS),
    Setting("KYSO_CA_EXCHANGE", "embedded", "who issues certificates: `embedded` (the CA on SoftHSM) or `external` "
            "(export requests, import the CA's answer)", KEYS),
    # --- signature verification and archives
    Setting("KYSO_TRUST_DIR", "", "extra accepted root certificates for verification (national root, public CAs)",
            SIGNING, shown="`<data dir>/trust`"),
    Setting("KYSO_VERIFY_FETCH", "0", "fetch CRL/OCSP over the network for certificates of other CAs", SIGNING),
    Setting("KYSO_SIGNER_HELPER_URL", "http://127.0.0.1:8765", "where the portal's submit page finds the signing "
            "helper (`kyso-signer`) on the employer's or citizen's own computer", SIGNING),
    Setting("KYSO_ARCHIVE_RENEWAL_MARGIN_DAYS", "180", "archived signatures get a new time-stamp this many days "
            "before their certificate or algorithm ends", SIGNING),
    # --- mobile signing
    Setting("KYSO_MSSP_URL", "local", "the carrier's mobile signature service (ETSI TS 102 204 SOAP endpoint)", MOBILE,
            shown="`local` (the built-in simulator)"),
    Setting("KYSO_MSSP_AP_ID", "", "this application's AP identity at the carrier", MOBILE,
            shown="`http://kyso.vss.gov.vn`"),
    Setting("KYSO_MSSP_ID", "http://mssp.kyso.local", "the carrier's MSSP identity", MOBILE),
    Setting("KYSO_MOBILE_REQUEST_TTL", "180", "seconds a holder has to confirm a signature request on the phone",
            MOBILE),
    # --- imports
    Setting("KYSO_IMPORT_MAX_BYTES", str(20 * 1024 * 1024), "largest import file (staff, units, certificate "
            "registers, SIM lines)", IMPORTS, shown="`20971520` (20 MB)"),
    Setting("KYSO_IMPORT_MAX_UNCOMPRESSED_BYTES", str(50 * 1024 * 1024), "an XLSX or zip import once unpacked (read "
            "from the zip directory, before opening)", IMPORTS, shown="`52428800` (50 MB)"),
    Setting("KYSO_IMPORT_MAX_ZIP_ENTRIES", "100", "parts of one XLSX file", IMPORTS),
    Setting("KYSO_IMPORT_MAX_COMPRESSION_RATIO", "100", "largest unpacked ÷ packed ratio of a part (zip bombs)",
            IMPORTS),
    Setting("KYSO_IMPORT_MAX_ROWS", "100000", "rows of an import", IMPORTS),
    Setting("KYSO_IMPORT_MAX_COLUMNS", "60", "columns of an import", IMPORTS),
    # --- notifications
    Setting("KYSO_SMTP_HOST", "", "the mail server; unset, mail is written to files under `<data dir>/mail`", NOTIFY),
    Setting("KYSO_SMTP_PORT", "25", "its port", NOTIFY),
    Setting("KYSO_EMAIL_BACKEND", None, "a Django e-mail back end instead of the two above", NOTIFY,
            shown="SMTP when `KYSO_SMTP_HOST` is set, else files"),
    Setting("KYSO_FROM_EMAIL", "kyso@vss.gov.vn", "sender of Kyso's e-mail", NOTIFY),
    Setting("KYSO_SMS_BACKEND", "kyso.notify.sms.FileSmsBackend", "SMS adapter (`kyso.notify.sms.HttpGatewaySmsBackend` "
            "in production)", NOTIFY),
    Setting("KYSO_SMS_GATEWAY_URL", "", "the SMS gateway's HTTP JSON endpoint", NOTIFY),
    # --- background work, cache and cluster
    Setting("KYSO_CELERY_BROKER", "", "e.g. `redis://127.0.0.1:6379/0`: the job rows are run by Celery workers "
            "(`celery -A kyso.celery worker`); `kyso worker` then only keeps the schedule and re-sends what a dead "
            "Celery worker left", WORK, shown="none (`kyso worker` runs the jobs from the database)"),
    Setting("KYSO_CELERY_RESULTS", "", "Celery result back end", WORK),
    Setting("KYSO_CELERY_QUEUE", "kyso", "the Celery queue of Kyso's jobs", WORK),
    Setting("KYSO_JOBS_STALE_SECONDS", "30", "a running job whose worker has not written its heartbeat for this long "
            "is taken over by another worker, from its last checkpoint", WORK),
    Setting("KYSO_REDIS_URL", "", "Redis for the cache shared by every node (rate limits, pre-signed OCSP) and "
            "sessions read from Redis, written through to the database", WORK,
            shown="none (a cache per process, sessions in the database)"),
    Setting("KYSO_CACHE_URL", "", "older name of `KYSO_REDIS_URL`", WORK),
    Setting("KYSO_CACHE_PREFIX", "kyso", "prefix of Kyso's keys in that Redis", WORK),
    Setting("KYSO_OCSP_CACHE", "default", "the Django cache holding pre-signed OCSP answers", WORK),
    # --- file archive
    Setting("KYSO_ARCHIVE", "dir", "where archived bytes live: `dir`, `db` (the database) or `s3`", ARCHIVE),
    Setting("KYSO_ARCHIVE_DIR", "", "the archive directory (`dir`; on a cluster, one every node mounts)", ARCHIVE,
            shown="`<data dir>/files`"),
    Setting("KYSO_ARCHIVE_S3_BUCKET", "", "the bucket (`s3`; credentials from the usual `AWS_*` variables)", ARCHIVE),
    Setting("KYSO_ARCHIVE_S3_ENDPOINT", "", "an S3-compatible endpoint (`s3`)", ARCHIVE, shown="AWS"),
    # --- Django settings only
    Setting("KYSO_ARCHIVE_RENEWAL_PURPOSES", None, "purposes of the archived files whose signatures are renewed",
            SETTINGS_ONLY, shown="`signing/renewal.py` DEFAULT_PURPOSES"),
    Setting("KYSO_ALGORITHM_END_DATES", None, "end dates moved or added in the algorithm policy (`sha256`, `rsa2048`, "
            "`ec-secp256r1` → date), read by the verdicts and the archive renewal job",
            SETTINGS_ONLY, shown="the algorithm policy of `signing/algorithms.py`"),
    # --- development, tests and benchmarks
    Setting("KYSO_TEST_WORKERS", "2", "pytest-xdist processes of `make test`", DEVELOPMENT),
    Setting("KYSO_TEST_OUTPUT", "", "where tests keep what they render for people to look at", DEVELOPMENT,
            shown="`var/test-output`"),
    Setting("KYSO_CHROMIUM", "/usr/bin/chromium", "the browser of the browser tests", DEVELOPMENT),
    Setting("KYSO_CHROMEDRIVER", "/usr/bin/chromedriver", "its driver", DEVELOPMENT),
    Setting("KYSO_FUZZ", "", "random (not derandomised) fuzzing in the hostile-input tests", DEVELOPMENT),
    Setting("KYSO_FUZZ_EXAMPLES", None, "examples per fuzzing test", DEVELOPMENT, shown="40–60 (per test)"),
    Setting("KYSO_BENCH_PORTAL_DB", None, "PostgreSQL database the portal and intake benchmarks recreate", DEVELOPMENT,
            shown="see `bench/README.md`"),
    Setting("KYSO_BENCH_PORTAL_ROWS", None, "dossiers the portal benchmark loads", DEVELOPMENT,
            shown="see `bench/README.md`"),
    Setting("KYSO_BENCH_PORTAL_REUSE", None, "`1`: the portal benchmark measures again on the database the last run "
            "left (no drop, no seeding)", DEVELOPMENT, shown="off"),
    Setting("KYSO_DEMO_PASSWORD", "Kyso@2026", "the demo users' password the mobile benchmark logs in with",
            DEVELOPMENT),
    Setting("KYSO_CLUSTER_PG", "postgresql://postgres@127.0.0.1:5432/", "PostgreSQL server of `kyso cluster`",
            DEVELOPMENT),
    Setting("KYSO_CLUSTER_REDIS", "redis://127.0.0.1:6379", "Redis server of `kyso cluster`", DEVELOPMENT),
)

BY_NAME = {s.name: s for s in TABLE}

# What a group's settings have in common, said once above its table in the README.
NOTES = {
    NOTIFY: "written in the step's transaction and sent after it commits by a worker, never inside the request: "
            "Celery with `KYSO_CELERY_BROKER`, otherwise `kyso worker` (started by `kyso serve`) polls the outbox "
            "every second; a failed message is tried again every 10 minutes.",
}

# Settings computed from others, never read from the environment.
DERIVED = frozenset({"KYSO_VERSION", "KYSO_CSP", "KYSO_KEYSTORE_LEGACY_PASSPHRASES"})

_TRUE = {"1", "true", "yes", "on"}


def text(name: str, default: str | None = None, environ=os.environ) -> str:
    """The variable's value, else the table's default (`default` only for computed ones)."""
    setting = BY_NAME[name]
    value = environ.get(name)
    if value is not None:
        return value
    if setting.default is None:
        if default is None:
            raise KeyError(f"{name} has a computed default: give it")
        return default
    return setting.default


def integer(name: str, default: int | None = None, environ=os.environ) -> int:
    return int(text(name, None if default is None else str(default), environ))


def flag(name: str, default: bool | None = None, environ=os.environ) -> bool:
    return text(name, None if default is None else ("1" if default else "0"), environ).strip().lower() in _TRUE


def items(name: str, environ=os.environ) -> list[str]:
    """A comma-separated list, blanks dropped."""
    return [x.strip() for x in text(name, environ=environ).split(",") if x.strip()]


def render() -> str:
    """The README's configuration section: one table per group."""
    out = []
    for group in dict.fromkeys(s.group for s in TABLE):
        note = f" — {NOTES[group]}" if group in NOTES else ""
        out += [f"**{group}**{note}", "", "| variable | default | meaning |", "|---|---|---|"]
        out += [f"| `{s.name}` | {s.default_text} | {s.meaning} |" for s in TABLE if s.group == group]
        out.append("")
    return "\n".join(out).rstrip() + "\n"
