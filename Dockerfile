# syntax=docker/dockerfile:1
# One image for the web server, the Celery worker and Celery beat (see docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# WeasyPrint's native libraries and the fonts the PDFs are set in; gettext compiles the French.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        gettext \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz-subset0 \
        fonts-dejavu-core \
        fonts-liberation \
    && rm -rf /var/lib/apt/lists/*

# The processes run as "app". Code and collected static files stay owned by root; the app can
# write only to var/ itself (beat's schedule), var/private and var/celery.
RUN groupadd --system --gid 1000 app \
    && useradd --system --uid 1000 --gid app --create-home --home-dir /home/app \
        --shell /usr/sbin/nologin app

WORKDIR /app

# Dependencies first: this layer is rebuilt only when pyproject.toml changes. The project
# installs no packages of its own (setuptools `packages = []`), so the source is not needed yet.
COPY pyproject.toml ./
RUN pip install . \
    && rm -rf build ./*.egg-info

COPY . .
RUN python -m compileall -q . \
    && DJANGO_SETTINGS_MODULE=practice.settings.base python manage.py compilemessages -v 0

ENV DJANGO_SETTINGS_MODULE=practice.settings.production \
    STATIC_ROOT=/app/var/staticfiles \
    PRIVATE_STORAGE_ROOT=/app/var/private

# Production settings refuse to load without a real key and host list; these throwaway values
# exist only for this one command and are not kept in the image's environment.
RUN SECRET_KEY=collectstatic-only-build-key-0123456789abcdefghijklmnopqrstuvwxyz \
    ALLOWED_HOSTS=build.invalid \
    python manage.py collectstatic --noinput \
    && mkdir -p var/private var/celery \
    && chown app:app var var/private var/celery

USER app

EXPOSE 8000

CMD ["gunicorn", "practice.wsgi:application", "--bind", "0.0.0.0:8000", "--worker-tmp-dir", "/dev/shm"]
