# syntax=docker/dockerfile:1
# One image for every process of the service: the web server (gunicorn), the Celery worker and
# beat, and the one-shot migrations. docker-compose.yml chooses the command.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    NEWSROOM_VAR_DIR=/app/var \
    DJANGO_STATIC_ROOT=/app/staticfiles \
    DJANGO_MEDIA_ROOT=/app/var/media \
    DJANGO_SERVE_STATIC=1 \
    WEB_CONCURRENCY=2

# The processes run as an unprivileged user; only var/ (media, beat schedule) is theirs to write.
RUN groupadd --system --gid 10001 newsroom \
    && useradd --system --uid 10001 --gid newsroom --home-dir /app --no-create-home \
       --shell /usr/sbin/nologin newsroom

WORKDIR /app
COPY . .
# Every dependency has a wheel for this platform (psycopg[binary], Pillow, nh3): no compiler.
RUN --mount=type=cache,target=/root/.cache/pip pip install .

# Static files are part of the image: collected once here, served by WhiteNoise at run time.
# The throw-away key only lets the production settings load; it is never used to sign anything.
RUN DJANGO_DEBUG=0 DJANGO_SECRET_KEY=collectstatic-at-build-time-only \
        python manage.py collectstatic --noinput \
    && mkdir -p /app/var/media /app/var/beat \
    && chown -R newsroom:newsroom /app/var

USER newsroom
EXPOSE 8000
# gunicorn reads its worker count from WEB_CONCURRENCY.
# newsroom/gunicorn_conf.py: metrics summed over the workers (prometheus_client multiprocess).
CMD ["gunicorn", "--config=python:newsroom.gunicorn_conf", "newsroom.wsgi:application", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
