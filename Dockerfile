FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings

RUN useradd --create-home --uid 1000 --shell /usr/sbin/nologin liaison
WORKDIR /app

# Dependencies first (pyproject.toml declares no packages: the code runs from /app).
COPY pyproject.toml constraints.txt ./
RUN pip install . -c constraints.txt

COPY --chown=liaison:liaison . .
RUN chown liaison:liaison /app
USER liaison

# Static files are collected at build time; the secret is a throwaway.
RUN SECRET_KEY=collectstatic-build-only DEBUG=false python manage.py collectstatic --noinput

EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
