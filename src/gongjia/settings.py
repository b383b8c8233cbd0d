"""Django settings. Everything a deployment changes comes from the environment:

DATABASE_URL            postgres://... for PostgreSQL; default SQLite under var/
GONGJIA_SECRET_KEY      Django's secret; default generated into var/secret_key
GONGJIA_PII_KEYS        JSON key ring for personal-data encryption; default var/pii_keys.json
GONGJIA_VAR_DIR         where the database, keys, media and collected static files live
GONGJIA_DEBUG           1 for development error pages
GONGJIA_HTTPS           1 behind HTTPS: secure cookies and HSTS
GONGJIA_ALLOWED_HOSTS   comma-separated host names
GONGJIA_CSRF_TRUSTED_ORIGINS  comma-separated origins (scheme and host) behind a proxy
GONGJIA_AUDIT_KEY       the audit chain's key; default generated into var/audit_key
GONGJIA_AUDIT_ANCHORS   where the audit chain's head is anchored; default var/audit_anchors.jsonl
GONGJIA_DB_CONN_MAX_AGE seconds a PostgreSQL connection is kept (default 60)
"""

import os
import secrets
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("GONGJIA_VAR_DIR") or BASE_DIR.parent.parent / "var").resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    if key := os.environ.get("GONGJIA_SECRET_KEY"):
        return key
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()


def _audit_key() -> bytes:
    """The audit chain's key: outside the database, so that the database alone cannot forge or
    re-hash the chain. Keep it (or GONGJIA_AUDIT_KEY) with the other keys of var/."""
    if key := os.environ.get("GONGJIA_AUDIT_KEY"):
        return key.encode()
    path = VAR_DIR / "audit_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip().encode()


AUDIT_KEY = _audit_key()
# The chain's head is anchored here (and in the log) every ten minutes; keep a copy elsewhere.
AUDIT_ANCHOR_FILE = Path(os.environ.get("GONGJIA_AUDIT_ANCHORS") or VAR_DIR / "audit_anchors.jsonl")
DEBUG = os.environ.get("GONGJIA_DEBUG") == "1"
HTTPS = os.environ.get("GONGJIA_HTTPS") == "1"
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("GONGJIA_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
    if h.strip()
]

INSTALLED_APPS = [
    "unfold.apps.BasicAppConfig",
    "unfold.contrib.filters",
    "gongjia.platform.backoffice.BackOfficeConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "treebeard",
    "auditlog",
    "gongjia.platform.tasks_app.TasksConfig",  # django_tasks_db, named for people
    "ninja",
    # ours last, so that our admin registrations replace the stock ones
    "gongjia.platform",
    "gongjia.orgs",
    "gongjia.members",
    "gongjia.rights",
    "gongjia.assistance",
    "gongjia.skills",
    "gongjia.training",
    "gongjia.craftsmen",
    "gongjia.honours",
    "gongjia.services",
    "gongjia.accounts",
    "gongjia.cockpit",
    "gongjia.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "gongjia.platform.middleware.ContentSecurityPolicyMiddleware",
    "gongjia.platform.middleware.RequestContextMiddleware",
    "gongjia.platform.middleware.RequestSizeMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "gongjia.accounts.middleware.IdleTimeoutMiddleware",
    "gongjia.accounts.middleware.PasswordChangeRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
]

ROOT_URLCONF = "gongjia.urls"
WSGI_APPLICATION = "gongjia.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------------
_db_url = os.environ.get("DATABASE_URL") or ""
if _db_url:
    DATABASES = {
        # Health checks: a connection the server dropped (restart, terminated backend) is
        # noticed before the first query of a request and opened again, never a 500.
        "default": dj_database_url.parse(
            _db_url,
            conn_max_age=int(os.environ.get("GONGJIA_DB_CONN_MAX_AGE", "60")),
            conn_health_checks=True,
        )
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "gongjia.sqlite3",
            "OPTIONS": {
                # WAL lets readers run beside the one writer; IMMEDIATE transactions take the
                # write lock up front so two writers queue instead of failing on upgrade.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
            "TEST": {"NAME": VAR_DIR / "test.sqlite3"},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts and security (numbers live in accounts/parameters/security.yaml) ------------------
AUTH_USER_MODEL = "accounts.User"
# The organisation tree every scoped row hangs from (gongjia.platform.scope).
GONGJIA_UNIT_MODEL = "orgs.OrgUnit"
# The back office's sign-in form (password, lockouts, second factor).
GONGJIA_LOGIN_FORM = "gongjia.accounts.forms.BackOfficeLoginForm"
AUTHENTICATION_BACKENDS = ["gongjia.accounts.backends.RoleBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "gongjia.accounts.passwords.ComplexityValidator"},
    {"NAME": "gongjia.accounts.passwords.HistoryValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "/portal/login/"
LOGIN_REDIRECT_URL = "/portal/"
SESSION_COOKIE_AGE = 12 * 3600  # hard cap; the idle timeout is enforced by middleware
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
if _trusted := os.environ.get("GONGJIA_CSRF_TRUSTED_ORIGINS"):
    CSRF_TRUSTED_ORIGINS = [o.strip() for o in _trusted.split(",") if o.strip()]

# --- Language -----------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["gongjia.formats"]  # dates one way in both languages
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Files --------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True  # serve straight from the apps when collectstatic has not run
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Background tasks ---------------------------------------------------------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- Audit --------------------------------------------------------------------------------------
AUDITLOG_INCLUDE_ALL_MODELS = False
AUDITLOG_DISABLE_REMOTE_ADDR = False
AUDITLOG_MASK_CALLABLE = "gongjia.platform.audit.mask_value"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"gongjia": {"level": "INFO"}},
}

from gongjia.platform.navigation import UNFOLD  # noqa: E402,F401  the back office navigation
