#!/usr/bin/env bash
# PostgreSQL 15 + PostGIS 3 from Debian's packages, for the team store and its tests.
# Installs them when missing and we are root with apt-get; otherwise says what to install.
# Exit 0 when they are there, 1 when they are not.
set -uo pipefail
have() { ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ls /usr/share/postgresql/*/extension/postgis.control >/dev/null 2>&1; }
have && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "setup: installing PostgreSQL + PostGIS (postgresql-15 postgresql-15-postgis-3)"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15 postgresql-15-postgis-3 >/dev/null) \
    || echo "setup: could not install PostgreSQL + PostGIS"
  have && exit 0
fi
echo "PostgreSQL + PostGIS are not installed: sudo apt-get install -y postgresql-15 postgresql-15-postgis-3" >&2
exit 1
