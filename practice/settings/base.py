"""Settings shared by every environment. Values come from the environment (see README)."""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY", default="")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    "practice",
    "practice.outbox",
    "clients",
    "sessions_app",
    "termination",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "practice.headers.PrivacyHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    "practice.policy.middleware.OnePolicyReadPerPageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "practice.signin.middleware.UserTimeZoneMiddleware",
    "practice.signin.middleware.UserLanguageMiddleware",
    "practice.signin.middleware.IdleLogoffMiddleware",
    "practice.signin.middleware.MfaMiddleware",
    "axes.middleware.AxesMiddleware",
]

# A strict Content-Security-Policy: everything from the app itself, nothing inline (no script,
# no style attribute), no eval, never framed, forms post only here. Bootstrap's own stylesheet
# draws its form icons from data: URIs, hence img-src data:.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

ROOT_URLCONF = "practice.urls"
WSGI_APPLICATION = "practice.wsgi.application"
ASGI_APPLICATION = "practice.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "practice.context_processors.navigation",
            ],
            "builtins": ["practice.templatetags.when"],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'practice.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server, worker and beat share the file without "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE"}
    )
else:
    # PostgreSQL's JIT compiled the caseload's and the board's queries on every request: 200 ms
    # of compiling to save a few of running (measured with bench_pages). Our queries are short.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "practice.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Sessions live in the database so that ending a user's sessions (deactivation) is a query.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 12
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# English and French. Before sign-in the browser's Accept-Language (or the switch's cookie)
# decides; signed in, the staff member's profile does. Clients get their language of
# correspondence (clients.Client.language) on everything sent to them.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "locale"]

LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
DATE_INPUT_FORMATS = ["%Y-%m-%d"]

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=str(VAR_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Uploaded and generated files are private: they are never served from a public URL.
PRIVATE_STORAGE_ROOT = env.path("PRIVATE_STORAGE_ROOT", default=str(VAR_DIR / "private"))
# Several nodes share private files through an S3-compatible store (MinIO in docker-compose):
# set the bucket and, for anything but AWS itself, the endpoint. The files stay private: no
# public ACL, no public URL, overwriting refused (a new name instead).
PRIVATE_STORAGE_BUCKET = env("PRIVATE_STORAGE_BUCKET", default="")
PRIVATE_STORAGE_S3 = {
    "bucket_name": PRIVATE_STORAGE_BUCKET,
    "endpoint_url": env("PRIVATE_STORAGE_ENDPOINT_URL", default=None),
    "access_key": env("PRIVATE_STORAGE_ACCESS_KEY", default=None),
    "secret_key": env("PRIVATE_STORAGE_SECRET_KEY", default=None),
    "region_name": env("PRIVATE_STORAGE_REGION", default="us-east-1"),
    "default_acl": None,
    "querystring_auth": True,
    "querystring_expire": 60,
    "file_overwrite": False,
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
# A console email (EMAIL_URL unset) is one log line; its text is kept in var/mail/ (devmail.py).
if EMAIL_CONFIG.get("EMAIL_BACKEND") == "django.core.mail.backends.console.EmailBackend":
    EMAIL_CONFIG["EMAIL_BACKEND"] = "practice.devmail.OneLineConsoleBackend"
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="practice@localhost")
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

# Failed sign-ins are counted per (username, IP) pair: one person's typos or an attacker
# guessing one account cannot lock the rest of the office out.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Lockouts count per client address, the same one the audit log and the check-in limit use.
AXES_CLIENT_IP_CALLABLE = "practice.client_address.client_address"
# How many proxies of our own stand in front of the app (see practice/client_address.py).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# The policy's starting value; afterwards the practice admin decides on the policy page.
MFA_REQUIRED_DEFAULT = env.bool("MFA_REQUIRED_DEFAULT", default=True)
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", default="Counseling Practice")

# Celery: Redis when REDIS_URL is set, otherwise a filesystem broker that needs no server.
CELERY_BROKER_URL = REDIS_URL or "filesystem://"
CELERY_RESULT_BACKEND = REDIS_URL or f"file://{VAR_DIR / 'celery' / 'results'}"
FILESYSTEM_BROKER_OPTIONS = {
    "data_folder_in": str(VAR_DIR / "celery" / "queue"),
    "data_folder_out": str(VAR_DIR / "celery" / "queue"),
    "processed_folder": str(VAR_DIR / "celery" / "processed"),
    "control_folder": str(VAR_DIR / "celery" / "control"),
    "store_processed": False,
}
CELERY_BROKER_TRANSPORT_OPTIONS = (
    {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)}
    if REDIS_URL
    else FILESYSTEM_BROKER_OPTIONS
)
# A broker or result backend that is down must cost a request a second or two, never the
# 20 seconds of Celery's default retries: the outbox (practice/outbox) sends the work later.
# Tasks handed out by the outbox ignore their result, so sending one never touches the backend.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None  # a worker waits for Redis to come back, forever
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 0.5,
}
if REDIS_URL:
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        **CELERY_BROKER_TRANSPORT_OPTIONS,
        "socket_connect_timeout": 2,
        "socket_timeout": 10,
    }
    CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 2
    CELERY_REDIS_SOCKET_TIMEOUT = 10
    CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {
        "retry_policy": {"max_retries": 1, "interval_start": 0, "interval_step": 0.5}
    }
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = "UTC"
CELERY_ENABLE_UTC = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celery" / "beat-schedule")

# Reminders and alerts (README, "Reminders"). Beat runs each sweep every so many seconds; beat
# and the sweeps keep time in UTC (a counselor's agenda goes out in the counselor's morning).
REMINDER_SWEEP_MINUTES = env.int("REMINDER_SWEEP_MINUTES", default=5)
REMINDER_SWEEP_INTERVALS = {
    "agenda": 60 * REMINDER_SWEEP_MINUTES,
    "client_sessions": 60 * REMINDER_SWEEP_MINUTES,
    "notes": 60 * REMINDER_SWEEP_MINUTES,
    "endings": 60 * REMINDER_SWEEP_MINUTES,
    "silent_clients": 60 * REMINDER_SWEEP_MINUTES,
    "consents": 60 * REMINDER_SWEEP_MINUTES,
    "plan_reviews": 60 * REMINDER_SWEEP_MINUTES,
    "retention": 60 * 60,  # checked hourly, sent once a month
    "alert_catch_up": 60 * REMINDER_SWEEP_MINUTES,
    "checkins": 60 * REMINDER_SWEEP_MINUTES,
    "deliver": 60,  # email left pending (a lost queueing, a retry after backoff)
}
CELERY_BEAT_SCHEDULE: dict = {
    f"reminders-{name}": {
        "task": "practice.reminders.tasks.run_sweep",
        "schedule": float(seconds),
        "args": (name,),
        "options": {"expires": float(seconds)},  # a late sweep is replaced by the next one
    }
    for name, seconds in REMINDER_SWEEP_INTERVALS.items()
    if name != "deliver"
}
CELERY_BEAT_SCHEDULE["reminders-deliver"] = {
    "task": "practice.reminders.tasks.deliver_reminders",
    "schedule": float(REMINDER_SWEEP_INTERVALS["deliver"]),
    "options": {"expires": float(REMINDER_SWEEP_INTERVALS["deliver"])},
}
# The outbox (practice/outbox): a row not finished within its lease is handed out again, up to
# OUTBOX_MAX_ATTEMPTS times, then marked failed for the admin to see.
OUTBOX_LEASE_SECONDS = env.int("OUTBOX_LEASE_SECONDS", default=300)
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=5)
OUTBOX_SWEEP_SECONDS = env.int("OUTBOX_SWEEP_SECONDS", default=30)
OUTBOX_SWEEP_BATCH = 200
CELERY_BEAT_SCHEDULE["outbox-sweep"] = {
    "task": "practice.outbox.tasks.sweep_outbox",
    "schedule": float(OUTBOX_SWEEP_SECONDS),
    "options": {"expires": float(OUTBOX_SWEEP_SECONDS)},
}
# Files of documents that no row names (a worker killed between writing and recording) go.
DOCUMENT_ORPHAN_AGE_SECONDS = env.int("DOCUMENT_ORPHAN_AGE_SECONDS", default=3600)
CELERY_BEAT_SCHEDULE["documents-remove-orphans"] = {
    "task": "termination.tasks.remove_orphan_documents",
    "schedule": 3600.0,
    "options": {"expires": 3600.0},
}
# Documents whose render task was lost are marked failed so the counselor can ask again.
CELERY_BEAT_SCHEDULE["documents-fail-stale"] = {
    "task": "termination.tasks.fail_stale_documents",
    "schedule": 300.0,
    "options": {"expires": 300.0},
}
REMINDER_AGENDA_HOUR = env.int("REMINDER_AGENDA_HOUR", default=7)  # counselor's local time
REMINDER_AGENDA_WINDOW_HOURS = 5  # a sweep after 12:00 local sends no agenda that day
REMINDER_CLIENT_SESSION_HOURS = env.int("REMINDER_CLIENT_SESSION_HOURS", default=24)
REMINDER_NOTE_LOOKBACK_DAYS = 30  # older unsigned notes were reminded of in their time
REMINDER_FINAL_SESSION_DAYS_BEFORE = 3
REMINDER_SUMMARY_DAYS_BEFORE = 3
REMINDER_FOLLOW_UP_OVERDUE_DAYS = 7
REMINDER_CONSENT_EXPIRY_DAYS = 14
REMINDER_ALERT_CATCH_UP_DAYS = 2
REMINDER_SWEEP_HISTORY_DAYS = 14
# Email: at least once. Tries, backoff (seconds; the cap stays under the visibility timeout so
# a retry's countdown never outlives Redis's patience), the claim lease after which a row held
# by a dead worker is taken again, and the rows claimed at a time.
REMINDER_EMAIL_MAX_ATTEMPTS = env.int("REMINDER_EMAIL_MAX_ATTEMPTS", default=5)
REMINDER_RETRY_BACKOFF_SECONDS = env.int("REMINDER_RETRY_BACKOFF_SECONDS", default=60)
REMINDER_RETRY_BACKOFF_MAX_SECONDS = env.int("REMINDER_RETRY_BACKOFF_MAX_SECONDS", default=1800)
REMINDER_CLAIM_LEASE_SECONDS = env.int("REMINDER_CLAIM_LEASE_SECONDS", default=600)
REMINDER_DELIVERY_BATCH_SIZE = env.int("REMINDER_DELIVERY_BATCH_SIZE", default=50)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
