#!/bin/sh
# The role the web and workers connect as: it owns nothing (the tables belong to the
# owner that runs migrations); `manage.py grant_app_role` gives it what it needs after
# every migrate, and of the audit log only insert and read.
set -e
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<SQL
CREATE ROLE ${APP_DB_USER:-liaison_app} LOGIN PASSWORD '${APP_DB_PASSWORD:-liaison_app}';
SQL
