# One image for every service: web (gunicorn), worker and beat (celery), flower, migrate.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# An unprivileged user runs every process; the code stays owned by root, read-only to it.
RUN groupadd --system --gid 10001 tracker \
    && useradd --system --uid 10001 --gid tracker --home-dir /app --no-create-home --shell /usr/sbin/nologin tracker

# Dependencies first: this layer is rebuilt only when requirements.txt changes.
COPY requirements.txt ./
RUN pip install --require-hashes -r requirements.txt

COPY . .

# Static files are built into the image (WhiteNoise serves them). The secret is
# a throwaway: collectstatic needs settings to load, not a real key.
ENV STATIC_ROOT=/app/staticfiles \
    TRACKER_VAR_DIR=/app/var \
    WHITENOISE_USE_FINDERS=false
RUN SECRET_KEY=collectstatic-only-not-a-secret DEBUG=false python manage.py collectstatic --noinput \
    && mkdir -p /app/var \
    && chown tracker:tracker /app/var

USER tracker
EXPOSE 8000

# gunicorn reads ./gunicorn.conf.py (bind, workers, JSON logs); compose overrides
# the command for worker, beat, flower and migrate.
CMD ["gunicorn", "tracker.wsgi"]
