# syntax=docker/dockerfile:1
# One image for the web process, the Celery worker and beat (docker-compose.yml
# picks the command). Debian 13 (trixie) ships PostgreSQL 17's client, whose
# pg_dump can back up the PostgreSQL 17 server of docker-compose.yml.

FROM python:3.12-slim-trixie AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /build
# Dependencies first, so that a code change reuses this layer.
COPY pyproject.toml ./
RUN pip install ".[s3]"

FROM python:3.12-slim-trixie
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --system --uid 1000 --create-home --home-dir /home/mex mex
COPY --from=build /opt/venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=mex.settings.production \
    DJANGO_STATIC_ROOT=/app/staticfiles \
    DJANGO_MEDIA_ROOT=/var/lib/mex/media
WORKDIR /app
COPY . .
# Static files are collected into the image and served by whitenoise. The key
# and cache URL only satisfy the production settings' checks: collectstatic
# signs nothing and connects to nothing.
RUN DJANGO_SECRET_KEY=build-only-collectstatic-key-that-signs-nothing-0123456789 \
    MEX_CACHE_URL=redis://localhost:6379/1 \
    python manage.py collectstatic --noinput \
    && mkdir -p /var/lib/mex/media /var/lib/mex/backups /var/lib/mex/badge-keys \
    && chown -R mex:mex /var/lib/mex \
    && chmod 700 /var/lib/mex/badge-keys
USER mex
EXPOSE 8000
# gunicorn takes its worker count from WEB_CONCURRENCY (default 1) and more
# options from GUNICORN_CMD_ARGS.
CMD ["gunicorn", "mex.wsgi:application", "--bind", "0.0.0.0:8000", \
     "--access-logfile", "-", "--forwarded-allow-ips", "*"]
