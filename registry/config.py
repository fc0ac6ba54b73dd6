"""Configuration: safe development defaults, overridden by REGISTRY_* environment variables.

Every value is parsed and checked here, once, so that a bad setting stops the start with one
clear line (a `ConfigError`) instead of a traceback deep inside a request.
"""

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from registry.instance import private_folder, warn_if_shared, write_private


class ConfigError(Exception):
    """A configuration value is missing or malformed."""


def _positive_int(name, raw):
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}") from None
    if value <= 0:
        raise ConfigError(f"{name} must be greater than zero, got {raw!r}")
    return value


def _alert_days(name, raw):
    try:
        days = sorted({int(part) for part in raw.split(",") if part.strip()}, reverse=True)
    except ValueError:
        raise ConfigError(
            f"{name} must be comma-separated whole numbers of days, e.g. 60,30,7,0; got {raw!r}"
        ) from None
    if not days or days[-1] < 0:
        raise ConfigError(f"{name} needs at least one threshold, none negative; got {raw!r}")
    return tuple(days)


def _database_url(name, raw):
    scheme = urlsplit(raw).scheme
    if scheme not in {"sqlite", "postgresql", "postgres"}:
        raise ConfigError(f"{name} must start with sqlite:/// or postgresql://, got {scheme!r}")
    return raw


def _url(schemes):
    def parse(name, raw):
        if urlsplit(raw).scheme not in schemes:
            allowed = ", ".join(f"{s}://" for s in sorted(schemes))
            raise ConfigError(f"{name} must start with one of {allowed}; got {raw!r}")
        return raw.rstrip("/") if "http" in schemes else raw

    return parse


def _timezone(name, raw):
    try:
        ZoneInfo(raw)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"{name} is not a known time zone: {raw!r}") from None
    return raw


def _boolean(name, raw):
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{name} must be true or false, got {raw!r}")


def _count(name, raw):
    try:
        value = int(raw)
    except ValueError:
        value = -1
    if value < 0:
        raise ConfigError(f"{name} must be a whole number, zero or more, got {raw!r}")
    return value


def _hour(name, raw):
    try:
        value = int(raw)
    except ValueError:
        value = -1
    if not 0 <= value <= 23:
        raise ConfigError(f"{name} must be an hour from 0 to 23, got {raw!r}")
    return value


def _one_of(*choices):
    def parse(name, raw):
        if raw not in choices:
            raise ConfigError(f"{name} must be one of {', '.join(choices)}; got {raw!r}")
        return raw

    return parse


def _text(name, raw):
    return raw


def _comma_list(name, raw):
    return [part.strip() for part in raw.split(",") if part.strip()] or None


def _host_list(name, raw):
    return [host.strip() for host in raw.split(",") if host.strip()] or None


# Environment variable suffix -> (Flask config key, parser).
ENVIRONMENT = {
    "DATABASE_URL": ("DATABASE_URL", _database_url),
    "DB_CONNECT_TIMEOUT": ("DB_CONNECT_TIMEOUT", _positive_int),
    "DB_STATEMENT_TIMEOUT": ("DB_STATEMENT_TIMEOUT", _positive_int),
    "DB_BUSY_TIMEOUT": ("DB_BUSY_TIMEOUT", _positive_int),
    "SECRET_KEY": ("SECRET_KEY", _text),
    "TOTP_KEY": ("TOTP_KEY", _text),
    "AUDIT_KEY": ("AUDIT_KEY", _text),
    "AUDIT_PREVIOUS_KEYS": ("AUDIT_PREVIOUS_KEYS", _comma_list),
    "AUDIT_HEAD_DIR": ("AUDIT_HEAD_DIR", _text),
    "BASE_URL": ("BASE_URL", _url({"http", "https"})),
    "SMTP_URL": ("SMTP_URL", _url({"smtp", "smtps"})),
    "MAIL_FROM": ("MAIL_FROM", _text),
    "MAIL_DELIVERY": ("MAIL_DELIVERY", _one_of("serve", "worker")),
    "WEBHOOK_DELIVERY": ("WEBHOOK_DELIVERY", _one_of("serve", "worker")),
    "WEBHOOKS_ALLOW_HTTP_LOOPBACK": ("WEBHOOKS_ALLOW_HTTP_LOOPBACK", _boolean),
    "WEBHOOKS_ALLOW_HOSTS": ("WEBHOOKS_ALLOW_HOSTS", _host_list),
    "ALERT_DAYS": ("ALERT_DAYS", _alert_days),
    "ALERT_HOUR": ("ALERT_HOUR", _hour),
    "SERVE_SCHEDULER": ("SERVE_SCHEDULER", _boolean),
    "TIMEZONE": ("TIMEZONE", _timezone),
    "MAX_UPLOAD_MB": ("MAX_UPLOAD_MB", _positive_int),
    "QUEUE_URL": ("QUEUE_URL", _url({"redis", "rediss", "sqlite"})),
    "RATELIMIT_STORAGE_URL": ("RATELIMIT_STORAGE_URI", _url({"memory", "redis", "rediss"})),
    "SESSION_IDLE_MINUTES": ("SESSION_IDLE_MINUTES", _positive_int),
    "SESSION_MAX_HOURS": ("SESSION_MAX_HOURS", _positive_int),
    "CSRF_TIME_LIMIT_MINUTES": ("CSRF_TIME_LIMIT_MINUTES", _positive_int),
    "TRUSTED_HOSTS": ("TRUSTED_HOSTS", _host_list),
    "SECURE_COOKIES": ("SECURE_COOKIES", _boolean),
    "PROXY_HOPS": ("PROXY_HOPS", _count),
    "REPORT_WEB_MAX_ROWS": ("REPORT_WEB_MAX_ROWS", _positive_int),
    "REPORT_WEB_TIMEOUT_SECONDS": ("REPORT_WEB_TIMEOUT_SECONDS", _positive_int),
    "REPORT_MEMORY_MB": ("REPORT_MEMORY_MB", _positive_int),
    "REPORT_CLI_TIMEOUT_SECONDS": ("REPORT_CLI_TIMEOUT_SECONDS", _positive_int),
    "REPORT_CLI_MEMORY_MB": ("REPORT_CLI_MEMORY_MB", _positive_int),
    "REPORT_CONCURRENCY": ("REPORT_CONCURRENCY", _positive_int),
    "REPORTS_PER_USER": ("REPORTS_PER_USER", _positive_int),
    "PDF_CHECK_CONCURRENCY": ("PDF_CHECK_CONCURRENCY", _positive_int),
    "PDF_CHECKS_PER_USER": ("PDF_CHECKS_PER_USER", _positive_int),
    "PG_DUMP": ("PG_DUMP", _text),
    "PG_RESTORE": ("PG_RESTORE", _text),
    "REPORT_JOBS": ("REPORT_JOBS", _one_of("serve", "worker")),
    "REPORT_JOB_DAYS": ("REPORT_JOB_DAYS", _positive_int),
    "BREACH_NOTICE_DEFAULT_HOURS": ("BREACH_NOTICE_DEFAULT_HOURS", _positive_int),
    "PUBLIC_SUBPROCESSORS": ("PUBLIC_SUBPROCESSORS", _boolean),
    "OIDC_ISSUER": ("OIDC_ISSUER", _text),
    "OIDC_CLIENT_ID": ("OIDC_CLIENT_ID", _text),
    "OIDC_CLIENT_SECRET": ("OIDC_CLIENT_SECRET", _text),
    "OIDC_PROVIDER_NAME": ("OIDC_PROVIDER_NAME", _text),
    "OIDC_SCOPES": ("OIDC_SCOPES", _text),
    "OIDC_TRUST_MFA": ("OIDC_TRUST_MFA", _boolean),
    "OIDC_MFA_ACR_VALUES": ("OIDC_MFA_ACR_VALUES", _comma_list),
    "OIDC_AUTO_CREATE": ("OIDC_AUTO_CREATE", _boolean),
    "OIDC_ROLE_CLAIM": ("OIDC_ROLE_CLAIM", _text),
    "OIDC_ROLE_MAP": ("OIDC_ROLE_MAP", _text),
    "ENV": ("REGISTRY_ENV", _text),
    "NAME": ("REGISTRY_NAME", _text),
}


def defaults(instance_path):
    """Return the development defaults, relative to the instance folder."""
    instance = Path(instance_path)
    return {
        "REGISTRY_ENV": "development",
        "REGISTRY_NAME": "dpa-registry",
        "DATABASE_URL": f"sqlite:///{instance / 'registry.sqlite3'}",
        # Seconds: a database that does not answer within them gives a 503, never a hang.
        "DB_CONNECT_TIMEOUT": 5,
        "DB_STATEMENT_TIMEOUT": 30,
        "DB_BUSY_TIMEOUT": 10,
        "SECRET_KEY": None,
        "TOTP_KEY": None,
        # The audit log's MAC key, and keys it replaced (their events still verify).
        "AUDIT_KEY": None,
        "AUDIT_PREVIOUS_KEYS": None,
        # Where the worker writes the audit chain's head every day (unset: it does not).
        "AUDIT_HEAD_DIR": None,
        "BASE_URL": "http://127.0.0.1:5000",
        "SMTP_URL": None,
        "MAIL_FROM": "dpa-registry <no-reply@localhost>",
        "OUTBOX_DIR": str(instance / "outbox"),
        # Who delivers the mail outbox: a thread of `dpa-registry serve`, or the worker.
        "MAIL_DELIVERY": "serve",
        # Webhooks (registry/webhooks, docs/webhooks.md): who delivers them (a thread of
        # `dpa-registry serve`, or the worker); plain HTTP and loopback receivers only for
        # development and tests; host names or networks whose private addresses are allowed.
        "WEBHOOK_DELIVERY": "serve",
        "WEBHOOKS_ALLOW_HTTP_LOOPBACK": False,
        "WEBHOOKS_ALLOW_HOSTS": None,
        "ALERT_DAYS": (60, 30, 7, 0),
        "ALERT_HOUR": 7,
        # Whether `dpa-registry serve` runs the daily alerts itself (registry/alerts/scheduler.py);
        # off when a `dpa-registry worker` runs them.
        "SERVE_SCHEDULER": True,
        "TIMEZONE": "Europe/Helsinki",
        "MAX_UPLOAD_MB": 20,
        "QUEUE_URL": None,
        "RATELIMIT_STORAGE_URI": "memory://",
        # Redis down: count in this process's memory (a warning is logged) and check Redis
        # again now and then, rather than refuse every request or answer 500.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_SWALLOW_ERRORS": True,
        "RATELIMIT_STORAGE_OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        "SESSION_IDLE_MINUTES": 30,
        "SESSION_MAX_HOURS": 12,
        "CSRF_TIME_LIMIT_MINUTES": 60,
        "TRUSTED_HOSTS": None,
        "SECURE_COOKIES": None,
        "PROXY_HOPS": 0,
        "PASSWORD_HASH_PROFILE": "owasp",
        # A breach notice to a controller whose DPA sets no hours: "without undue delay"
        # (Art. 33(2)) read as this many hours.
        "BREACH_NOTICE_DEFAULT_HOURS": 24,
        # The public sub-processor page, its feed and e-mail subscriptions (issue 19): off.
        "PUBLIC_SUBPROCESSORS": False,
        # Slow work at once per process, and per user within it; beyond them a request is
        # answered at once (503 / 429 with Retry-After) instead of holding a thread in a queue.
        "REPORT_CONCURRENCY": 2,
        "REPORTS_PER_USER": 1,
        "PDF_CHECK_CONCURRENCY": 2,
        "PDF_CHECKS_PER_USER": 2,
        # PostgreSQL client tools for backup and restore (unset: found on PATH).
        "PG_DUMP": None,
        "PG_RESTORE": None,
        # Whether `dpa-registry serve` makes queued whole-registry reports in a thread (the
        # worker always does), and how many days a finished report is kept.
        "REPORT_JOBS": "serve",
        "REPORT_JOB_DAYS": 7,
        # Single sign-on for staff with OpenID Connect (registry/sso, docs/sso.md): off while
        # OIDC_ISSUER is unset. The provider's own MFA replaces the registry's TOTP only when
        # trusted and shown by the ID token's amr, or its acr is one of OIDC_MFA_ACR_VALUES.
        "OIDC_ISSUER": None,
        "OIDC_CLIENT_ID": None,
        "OIDC_CLIENT_SECRET": None,
        "OIDC_PROVIDER_NAME": "single sign-on",
        "OIDC_SCOPES": "openid email profile",
        "OIDC_TRUST_MFA": True,
        "OIDC_MFA_ACR_VALUES": None,
        "OIDC_AUTO_CREATE": False,
        "OIDC_ROLE_CLAIM": None,
        "OIDC_ROLE_MAP": None,
    }


def from_environment(environ=None):
    """Parse the REGISTRY_* variables that are set; raise ConfigError on the first bad one."""
    environ = os.environ if environ is None else environ
    parsed = {}
    for suffix, (key, parse) in ENVIRONMENT.items():
        raw = environ.get(f"REGISTRY_{suffix}")
        if raw is not None and raw != "":
            parsed[key] = parse(f"REGISTRY_{suffix}", raw)
    return parsed


def ensure_secret(config, key, instance_path, filename):
    """Fill a missing secret: generated into the instance folder in development, required else."""
    if config.get(key):
        return
    if config["REGISTRY_ENV"] != "development":
        raise ConfigError(f"REGISTRY_{key} must be set when REGISTRY_ENV is not development")
    path = private_folder(instance_path) / filename
    if path.exists():
        warn_if_shared(path)
    else:
        write_private(path, secrets.token_urlsafe(48))
    config[key] = path.read_text().strip()


def trusted_hosts(config):
    """Return the host names the app answers to (None: any, in development only).

    REGISTRY_TRUSTED_HOSTS when set, else the host of REGISTRY_BASE_URL outside development: a
    forged Host header must not reach anything built from the request's host (redirects, the
    CSRF referrer check). Flask answers a request for another host with 400.
    """
    if config.get("TRUSTED_HOSTS"):
        return config["TRUSTED_HOSTS"]
    if config["REGISTRY_ENV"] == "development":
        return None
    host = urlsplit(config["BASE_URL"]).hostname
    if not host:
        raise ConfigError("REGISTRY_TRUSTED_HOSTS or a REGISTRY_BASE_URL with a host name must "
                          "be set when REGISTRY_ENV is not development")
    return [host]
