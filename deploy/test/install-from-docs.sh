#!/usr/bin/env bash
# Follow docs/beheer/installatie.md and backups.md literally on this machine, from a fresh clone of
# the committed code: every ```sh block of those pages runs as written, in order. Then check what
# "9. Controleren" promises, make a backup, restore it into an empty database and find every row
# back. Run as root on a Debian 12 machine with PostgreSQL on 127.0.0.1:5432 (`make install-test`).
# It needs the workstation's `age` too (backups.md: `apt-get install age`; installed when missing).
#
# What this machine cannot do is stood in for by small shell functions, and only that:
# - `sudo`: we are root; `sudo -u USER` becomes runuser with that user's home and a clean PATH.
# - `systemctl`: the machine has no systemd; the unit files that the docs install are read and
#   their ExecStart run as their User, with their EnvironmentFile and WorkingDirectory.
# - `journalctl -u UNIT`: the output of such a unit. `editor`: fills in the environment file the
#   way step 5 tells an administrator to. `scp beheerplek:`: a directory standing in for the
#   administrator's workstation, where the backup key pair is made (backups.md).
# - The certificate: certbot needs the internet, so a self-signed one is placed where it would be.
#
# It removes what an earlier run of this test left (user veerkracht, database veerkracht,
# /opt/veerkracht, /etc/veerkracht, /var/lib/veerkracht, /var/backups/veerkracht, the units and the
# nginx site), but only when that run marked it as its own: right after step 2 it writes
# /etc/veerkracht/.made-by-install-test and /opt/veerkracht/.made-by-install-test (a run from
# before the markers is recognised by its domain veerkracht.test in /etc/veerkracht/veerkracht.env
# together with its clone from git://127.0.0.1:9418). When any of those exist otherwise (a real
# installation, or one made by hand), it stops at once and removes nothing. Still: never run it on
# a machine that serves a real Veerkracht.
# It needs ports 80, 443, 8000 and 9418 free; the nginx it stops at the end is only the one it started.
set -euo pipefail
cd "$(dirname "$0")/../.."
REPO_ROOT=$PWD
DOMAIN=veerkracht.test
WORK=$(mktemp -d /tmp/veerkracht-install.XXXXXX)
chmod 755 "$WORK"
LOGS=$WORK/units
WORKSTATION=$WORK/beheerplek
mkdir -p "$LOGS" "$WORKSTATION"
PASSWORD_OWNER=$(openssl rand -hex 24)
PASSWORD_APP=$(openssl rand -hex 24)
METRICS_TOKEN=$(openssl rand -hex 24)

log() { printf '\n=== %s\n' "$*"; }
fail() { printf '\nFAILED: %s\n' "$*" >&2; exit 1; }

sudo() {
  if [ "$1" = "-u" ]; then
    local user=$2
    shift 2
    runuser -u "$user" -- env -i PATH=/usr/local/bin:/usr/bin:/bin LANG=C.UTF-8 \
      HOME="$(getent passwd "$user" | cut -d: -f6)" "$@"
  else
    "$@"
  fi
}

unit_value() { sed -n "s/^$2=//p" "/etc/systemd/system/$1" | head -n1; }

unit_run() {  # run a unit's ExecStart as systemd would; in the background unless it is a oneshot
  local unit=$1.service command user env_file directory
  command=$(unit_value "$unit" ExecStart)
  user=$(unit_value "$unit" User)
  env_file=$(unit_value "$unit" EnvironmentFile)
  directory=$(unit_value "$unit" WorkingDirectory)
  local script="set -a; . '$env_file'; set +a; cd '$directory'; exec $command"
  if [ "$(unit_value "$unit" Type)" = oneshot ]; then
    sudo -u "$user" bash -c "$script" >>"$LOGS/$1.log" 2>&1
  else
    sudo -u "$user" bash -c "$script" >>"$LOGS/$1.log" 2>&1 &
    echo $! >"$LOGS/$1.pid"
    wait_for_port "$(sed -n 's/.*--port \([0-9]*\).*/\1/p' <<<"$command")"
  fi
}

wait_for_port() {  # systemd would say "active" at once; the next command expects an answer, so wait
  [ -n "$1" ] || return 0
  for _ in $(seq 90); do curl -s -o /dev/null "http://127.0.0.1:$1/healthz" && return 0; sleep 1; done
  fail "nothing listens on port $1 after 90 s: $(tail -n 20 "$LOGS"/*.log)"
}

unit_stop() {
  [ -f "$LOGS/$1.pid" ] || return 0
  pkill -TERM -P "$(cat "$LOGS/$1.pid")" 2>/dev/null || true
  kill -TERM "$(cat "$LOGS/$1.pid")" 2>/dev/null || true
  for _ in $(seq 30); do kill -0 "$(cat "$LOGS/$1.pid")" 2>/dev/null || break; sleep 1; done
  rm -f "$LOGS/$1.pid"
}

systemctl() {
  local verb=$1
  shift
  [ "${1:-}" = "--now" ] && shift
  case $verb in
    daemon-reload) ;;
    enable | start | restart)
      for name in "$@"; do
        case $name in
          *.timer) [ -f "/etc/systemd/system/$name" ] || fail "no unit $name" ;;
          nginx) start_nginx ;;
          *) [ "$verb" = restart ] && unit_stop "$name"; unit_run "$name" ;;
        esac
      done ;;
    stop) for name in "$@"; do unit_stop "$name"; done ;;
    reload) [ "$1" = nginx ] && { if [ "$NGINX_STARTED" = 1 ]; then nginx -s reload; else start_nginx; fi; } ;;
    status) for name in "$@"; do kill -0 "$(cat "$LOGS/$name.pid")" || fail "$name is not running"; echo "$name: active"; done ;;
    list-timers) grep -H OnCalendar "/etc/systemd/system/$1" ;;
    *) fail "systemctl $verb is not stood in for" ;;
  esac
}

NGINX_STARTED=0  # 1 once this run started nginx: clean_up stops only an nginx it started itself
start_nginx() { nginx && NGINX_STARTED=1; }

journalctl() { tail -n "${4:-20}" "$LOGS/${2%.service}.log"; }

scp() { cp "$WORKSTATION/${1#beheerplek:}" "$2"; }

editor() {  # step 5: the values an administrator fills in, made as the page says
  local python=/opt/veerkracht/venv/bin/python
  set_value() { sed -i "s|^#\? \?$1=.*|$1=$2|" "$3"; grep -q "^$1=" "$3" || echo "$1=$2" >>"$3"; }
  set_value SECRET_KEY "$($python -c 'import secrets; print(secrets.token_urlsafe(50))')" "$1"
  set_value OTP_ENCRYPTION_KEYS "$($python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')" "$1"
  set_value AUDIT_SEAL_KEY "$($python -c 'import secrets; print(secrets.token_urlsafe(50))')" "$1"
  set_value ALLOWED_HOSTS "$DOMAIN" "$1"
  set_value CSRF_TRUSTED_ORIGINS "https://$DOMAIN" "$1"
  set_value DATABASE_URL "postgres://veerkracht_app:$PASSWORD_APP@127.0.0.1:5432/veerkracht" "$1"
  set_value DATABASE_OWNER_URL "postgres://veerkracht_owner:$PASSWORD_OWNER@127.0.0.1:5432/veerkracht" "$1"
  set_value EMAIL_HOST 127.0.0.1 "$1"
  set_value BACKUP_AGE_RECIPIENTS "$(sed -n 's/^# public key: //p' "$WORKSTATION/veerkracht-backup-sleutel.txt")" "$1"
  set_value METRICS_TOKEN "$METRICS_TOKEN" "$1"
}

run_docs() {  # the shell blocks under one heading of a page, with this run's placeholders filled in
  local page=$1 heading=$2
  log "$page: $heading"
  python3 "$REPO_ROOT/deploy/test/docs_blocks.py" "$REPO_ROOT/docs/beheer/$page" "$heading" >"$WORK/block.sh"
  sed -i -e "s|https://example.org/veerkracht.git|git://127.0.0.1:9418/veerkracht.git|" \
    -e "s|git checkout v[0-9.]*|git checkout $COMMIT|" \
    -e "s|WACHTWOORD_OWNER|$PASSWORD_OWNER|; s|WACHTWOORD_APP|$PASSWORD_APP|" \
    -e "s|JOUW.DOMEIN.NL|$DOMAIN|g" \
    -e "s|veerkracht-20261205T023000Z.backup.age|$(ls -t /var/backups/veerkracht 2>/dev/null | head -n1)|" "$WORK/block.sh"
  cat "$WORK/block.sh"
  # shellcheck disable=SC1091
  set -x
  . "$WORK/block.sh"
  set +x
}

as_owner() { psql "postgres://veerkracht_owner:$PASSWORD_OWNER@127.0.0.1:5432/veerkracht" -tAq -v ON_ERROR_STOP=1 "$@"; }

row_counts() {  # every table's exact row count, as the owner (row-level security does not bind it)
  as_owner -c "SELECT string_agg(format('SELECT %L, count(*) FROM %I', tablename, tablename), ' UNION ALL ' ORDER BY tablename)
               FROM pg_tables WHERE schemaname = 'public'" | as_owner | sort
}

GIT_DAEMON_PID=""

clean_up() {  # what this run started, by its own process ids; nginx only if this run started it
  for pidfile in "$LOGS"/*.pid; do [ -f "$pidfile" ] && unit_stop "$(basename "$pidfile" .pid)"; done
  if [ "$NGINX_STARTED" = 1 ]; then nginx -s stop 2>/dev/null || true; fi
  if [ -n "$GIT_DAEMON_PID" ]; then kill -TERM "$GIT_DAEMON_PID" 2>/dev/null || true; fi
}

MARKER=.made-by-install-test  # written by this test only, right after step 2 made the directories

mark_as_test_install() {
  for directory in /etc/veerkracht /opt/veerkracht; do
    echo "made by deploy/test/install-from-docs.sh on $(date -u +%FT%TZ); the next run removes this installation" \
      >"$directory/$MARKER"
  done
}

what_exists() {  # every part of an installation that remove_earlier_run would remove
  local path
  for path in /opt/veerkracht /etc/veerkracht /var/lib/veerkracht /var/backups/veerkracht \
    /etc/systemd/system/veerkracht-* /etc/nginx/sites-enabled/veerkracht /etc/nginx/sites-available/veerkracht; do
    [ -e "$path" ] || [ -L "$path" ] && echo "$path"
  done
  id veerkracht >/dev/null 2>&1 && echo "user veerkracht"
  runuser -u postgres -- psql -tAq -d postgres -c "SELECT 'database ' || datname FROM pg_database WHERE datname = 'veerkracht'
    UNION ALL SELECT 'role ' || rolname FROM pg_roles WHERE rolname IN ('veerkracht_app', 'veerkracht_owner')"
}

made_by_this_test() {  # both markers; or, from before the markers, this test's domain and clone source
  [ -f "/etc/veerkracht/$MARKER" ] && [ -f "/opt/veerkracht/$MARKER" ] && return 0
  grep -qx "ALLOWED_HOSTS=$DOMAIN" /etc/veerkracht/veerkracht.env 2>/dev/null \
    && [ "$(git config --file /opt/veerkracht/src/.git/config --get remote.origin.url 2>/dev/null)" \
      = git://127.0.0.1:9418/veerkracht.git ]
}

remove_earlier_run() {  # only an installation this test made; anything else: stop
  local found
  found=$(what_exists)
  [ -n "$found" ] || return 0
  if ! made_by_this_test; then
    printf '\nREFUSED: this machine has a Veerkracht installation that this test did not make (no\n' >&2
    printf '/etc/veerkracht/%s and /opt/veerkracht/%s). The test would delete it:\n' "$MARKER" "$MARKER" >&2
    sed 's/^/  /' <<<"$found" >&2
    printf 'Nothing was changed. Run the test on a machine without Veerkracht, or remove these yourself\n' >&2
    printf 'if they are an earlier test run of your own.\n' >&2
    rm -rf --one-file-system "$WORK"
    exit 1
  fi
  log "removing the earlier installation of this test"
  pkill -u veerkracht 2>/dev/null || true
  pkill -f "git-daemon .*--base-path=/tmp/veerkracht-install" 2>/dev/null || true
  runuser -u postgres -- psql -q -d postgres -c "DROP DATABASE IF EXISTS veerkracht" \
    -c "DROP ROLE IF EXISTS veerkracht_app" -c "DROP ROLE IF EXISTS veerkracht_owner"
  id veerkracht >/dev/null 2>&1 && userdel veerkracht
  rm -rf --one-file-system /opt/veerkracht /etc/veerkracht /var/lib/veerkracht /var/backups/veerkracht \
    /etc/systemd/system/veerkracht-* /etc/nginx/sites-enabled/veerkracht /etc/nginx/sites-available/veerkracht \
    "/etc/letsencrypt/live/$DOMAIN"
}

log "a fresh clone of the committed code in $WORK"
remove_earlier_run
taken=$(ss -ltnH | awk '{print $4}' | grep -E '^(127.0.0.1|0.0.0.0|\*|\[::\]):(80|443|8000|9418)$' || true)
[ -z "$taken" ] || fail "taken: $taken (ports 80, 443, 8000 and 9418 must be free)"
# Only now: a failed check above must not stop what others run (an nginx already on port 80).
trap clean_up EXIT
COMMIT=$(git rev-parse HEAD)
git clone -q --bare "$REPO_ROOT" "$WORK/veerkracht.git"
# Served as a remote repository would be: a clone of a local path owned by root is refused to
# another user ("dubious ownership").
git daemon --export-all --base-path="$WORK" --listen=127.0.0.1 --port=9418 --reuseaddr &
GIT_DAEMON_PID=$!

command -v age-keygen >/dev/null || apt-get install -y -qq age >/dev/null  # the workstation's package
cd "$WORKSTATION"
run_docs backups.md "## Het sleutelpaar maken"
cd "$REPO_ROOT"
for step in "## 1." "## 2." "## 3." "## 4." "## 5." "## 6." "## 7."; do
  cd "$REPO_ROOT"
  run_docs installatie.md "$step"
  if [ "$step" = "## 2." ]; then mark_as_test_install; fi
done
cd "$REPO_ROOT"
log "a self-signed certificate where certbot would put one"
mkdir -p "/etc/letsencrypt/live/$DOMAIN"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=$DOMAIN" \
  -keyout "/etc/letsencrypt/live/$DOMAIN/privkey.pem" -out "/etc/letsencrypt/live/$DOMAIN/fullchain.pem" 2>/dev/null
run_docs installatie.md "### nginx"
cd "$REPO_ROOT"

log "9. Controleren"
https() { curl -sk --resolve "$DOMAIN:443:127.0.0.1" "https://$DOMAIN$1"; }
for _ in $(seq 60); do https /readyz | grep -q '"status": "ok"' && break; sleep 2; done
https /readyz | grep '"status": "ok"' || fail "/readyz is not ok: $(https /readyz)"
version=$(/opt/veerkracht/venv/bin/python -c 'from veerkracht.version import installed_version; print(installed_version())')
https /inloggen/ | grep -q "$version" || fail "the login page does not show version $version"
curl -s -H "Authorization: Bearer $METRICS_TOKEN" http://127.0.0.1:8000/metrics | grep -q '^veerkracht_database_up 1' \
  || fail "no metrics with the token"
[ "$(curl -s -o /dev/null -w '%{http_code}' "https://$DOMAIN/metrics" -k --resolve "$DOMAIN:443:127.0.0.1")" != 200 ] \
  || fail "/metrics is public through nginx"

run_docs backups.md "## Controleren"
cd "$REPO_ROOT"
ls /var/backups/veerkracht/*.backup.age >/dev/null || fail "no backup written"
before=$(row_counts)

log "restore into an empty database: drop it, step 3 again, then the page's commands"
systemctl stop veerkracht-web veerkracht-worker
runuser -u postgres -- psql -q -d postgres -c "DROP DATABASE veerkracht" \
  -c "DROP ROLE veerkracht_app" -c "DROP ROLE veerkracht_owner"
run_docs installatie.md "## 3."
cd "$REPO_ROOT"
run_docs backups.md "## Terugzetten"
cd "$REPO_ROOT"
after=$(row_counts)
# Every table but those the restarted services and the backup itself write to: audit rows (the
# restore and the verification are audited), the worker's heartbeat and runs, sessions, the cache,
# and the backup's own record of success (written after its dump was taken).
strip() { grep -vE '^[a-z_]*(audit|heartbeat|taskrun|session|cache|maintenancerun)[a-z_]*\|'; }
diff <(echo "$before" | strip) <(echo "$after" | strip) || fail "rows differ after the restore"
for _ in $(seq 60); do https /readyz | grep -q '"status": "ok"' && break; sleep 2; done
https /readyz | grep '"status": "ok"' || fail "/readyz after the restore: $(https /readyz)"
log "installed, checked, backed up and restored by the documented commands: $(echo "$before" | wc -l) tables, $(echo "$before" | awk -F'|' '{s += $2} END {print s}') rows"
