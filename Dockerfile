# The portal's image: web (gunicorn), worker and beat all run it (docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# Pango and HarfBuzz for WeasyPrint (the PDF reports); gettext is not needed: the .mo files are committed.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml requirements.lock README.md ./
RUN pip install -c requirements.lock .

COPY . .

# Hashed, compressed static files, served by whitenoise. Settings need their required values to
# load, though collectstatic touches neither the database nor the key.
RUN DJANGO_SETTINGS_MODULE=lokalsamverkan.settings.production \
    SECRET_KEY=collectstatic-only ALLOWED_HOSTS=localhost DATABASE_URL=sqlite:////tmp/unused.sqlite3 \
    python manage.py collectstatic --noinput \
    && useradd --system --uid 1000 --home-dir /app lokalsamverkan \
    && mkdir -p /data/media /data/private \
    && chown lokalsamverkan /data/media /data/private

USER lokalsamverkan
ENV DJANGO_SETTINGS_MODULE=lokalsamverkan.settings.production \
    MEDIA_ROOT=/data/media \
    PRIVATE_MEDIA_ROOT=/data/private
EXPOSE 8000
CMD ["gunicorn", "--config", "python:lokalsamverkan.gunicorn_conf", "lokalsamverkan.wsgi"]
