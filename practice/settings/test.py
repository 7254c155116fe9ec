"""Tests: whatever DATABASE_URL / REDIS_URL say (SQLite and no Redis by default)."""

from practice.settings.base import *  # noqa: F403
from practice.settings.base import env

SECRET_KEY = "test-only-key"
DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tests must not share a cache with a running server or with each other's Redis keys.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
REQUIRE_SERVICES = env.bool("REQUIRE_SERVICES", default=False)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MFA_REQUIRED_DEFAULT = False
# Static files come straight from static/ (no collectstatic outside production).
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# A task a test queues without a worker (an alliance alert recorded in a transactional test)
# waits in folders of the tests' own: the development worker must never run it against the
# development database. With REDIS_URL the tests use their own Redis database number.
FILESYSTEM_BROKER_OPTIONS = {
    **FILESYSTEM_BROKER_OPTIONS,  # noqa: F405
    "data_folder_in": str(VAR_DIR / "celery-test" / "queue"),  # noqa: F405
    "data_folder_out": str(VAR_DIR / "celery-test" / "queue"),  # noqa: F405
    "processed_folder": str(VAR_DIR / "celery-test" / "processed"),  # noqa: F405
    "control_folder": str(VAR_DIR / "celery-test" / "control"),  # noqa: F405
}
if not REDIS_URL:  # noqa: F405
    CELERY_BROKER_TRANSPORT_OPTIONS = FILESYSTEM_BROKER_OPTIONS
