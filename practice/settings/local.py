"""Development: the embedded default (SQLite, filesystem broker, console mail)."""

from practice.settings.base import *  # noqa: F403
from practice.settings.base import env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-change-me")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
MFA_REQUIRED_DEFAULT = env.bool("MFA_REQUIRED_DEFAULT", default=False)
# Static files come straight from static/ (no collectstatic outside production).
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
