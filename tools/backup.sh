#!/usr/bin/env bash
# Back up and restore the e-Kiosk PostgreSQL database with pg_dump / pg_restore (custom format,
# compressed, restorable into an empty database; owners and grants are left to the target).
#
#   tools/backup.sh dump FILE [DATABASE_URL]         (default: $DATABASE_URL)
#   tools/backup.sh restore FILE TARGET_URL          (TARGET_URL: an empty database)
#   tools/backup.sh list FILE                        (what a dump holds)
#
# Run it from cron or a systemd timer on one host, keep the files off the database host, and
# restore one into a scratch database now and then (tests/test_backup.py does exactly that).
set -euo pipefail

usage() { sed -n '2,8p' "$0" >&2; exit 2; }

libpq_url() {  # SQLAlchemy's postgresql+psycopg://... is postgresql://... to libpq
  printf '%s' "$1" | sed -E 's#^postgres(ql)?(\+[a-z0-9]+)?://#postgresql://#'
}

need() {
  command -v "$1" >/dev/null || { echo "backup.sh: $1 not found (apt-get install postgresql-client)" >&2; exit 3; }
}

[ $# -ge 2 ] || usage
action=$1 file=$2
case "$action" in
  dump)
    need pg_dump
    url=$(libpq_url "${3:-${DATABASE_URL:?give a DATABASE_URL}}")
    umask 077  # a dump holds every citizen's personal data
    pg_dump --format=custom --compress=6 --no-owner --no-privileges --file "$file.partial" "$url"
    mv "$file.partial" "$file"
    echo "backup.sh: dumped to $file ($(du -h "$file" | cut -f1))"
    ;;
  restore)
    need pg_restore
    [ $# -ge 3 ] || usage
    pg_restore --no-owner --no-privileges --exit-on-error --single-transaction \
      --dbname "$(libpq_url "$3")" "$file"
    echo "backup.sh: restored $file"
    ;;
  list)
    need pg_restore
    pg_restore --list "$file"
    ;;
  *) usage ;;
esac
