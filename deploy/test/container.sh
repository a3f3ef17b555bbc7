#!/usr/bin/env bash
# Build the container image from the committed code and run it against this machine's PostgreSQL
# the way docs/beheer/container.md tells an administrator to (`make container-test`, not part of
# `make test`). Run as root on a Debian 12 machine with podman, buildah and debootstrap, and
# PostgreSQL on 127.0.0.1:5432.
#
# 1. The base image: podman pulls docker.io/library/debian:bookworm-slim where it can reach a
#    registry. Where it is missing (the project's test environment has no registry), a minimal
#    Debian 12 is made with debootstrap and imported under that name for this build only: the name
#    is removed again at the end (only when this run imported it), so that no later build by anyone
#    takes it for the official image. Such a run makes the base again each time.
# 2. The image is built from a fresh export of HEAD (`git archive`, so nothing uncommitted and no
#    .venv goes in), under a tag of its own, localhost/veerkracht-install-test:PID, never an
#    administrator's localhost/veerkracht:latest; that tag is removed at the end (a name given
#    with IMAGE=... is used instead and kept). Behind a proxy that inspects TLS, the CA certificates of
#    /usr/local/share/ca-certificates are handed to the build stage (EXTRA_CA_CERTS).
# 3. It runs with `podman run` if the OCI runtime can start containers here. In the project's
#    sandbox crun cannot (setrlimit RLIMIT_NOFILE/RLIMIT_NPROC: Operation not permitted): then the
#    same image runs as a chroot of a podman container's own filesystem (`podman create` +
#    `podman mount`), with the image's User, Env, WorkingDir, Entrypoint and Cmd read from
#    `podman image inspect`, on the host's network. The output says which way it ran.
# With a fresh database and two roles (docs/beheer/installatie.md step 3) it runs
# `prepare --skip-static`, the web server (the image's default command) and `worker`, and checks
# /healthz, /readyz (with the worker's beat), the sign-in page and its stylesheet, the user id of
# the processes and that `demo` says the demo city is not in the image. Everything it made
# (database, roles, containers, its image tag, an imported base, the work directory) is removed
# again on exit, also on failure; the build's layers stay in podman's cache unless the base was
# imported by this run.
set -euo pipefail
cd "$(dirname "$0")/../.."
REPO_ROOT=$PWD
BASE=docker.io/library/debian:bookworm-slim
IMAGE_OWN=0        # 1: IMAGE is this run's own test tag, removed again at the end
[ -n "${IMAGE:-}" ] || { IMAGE=localhost/veerkracht-install-test:$$; IMAGE_OWN=1; }  # never an administrator's tag
IMAGE_BUILT=0      # 1 once this run tagged IMAGE
BASE_IMPORTED=0    # 1 if this run imported a debootstrapped BASE: its name removed again at the end
START=$(date +%s)
WORK=$(mktemp -d /tmp/veerkracht-container.XXXXXX)
SUFFIX=$(openssl rand -hex 4)
DB=vkct_$SUFFIX
OWNER=vkct_owner_$SUFFIX
APP=vkct_app_$SUFFIX
PASSWORD_OWNER=$(openssl rand -hex 24)
PASSWORD_APP=$(openssl rand -hex 24)
MODE=""            # "podman run" or "chroot"
ROOTFS=""          # chroot: the mounted filesystem of the container made with `podman create`
ROOTFS_CONTAINER=""
declare -A PIDS=() # chroot: process group of each background command
declare -a RESULTS=()

log() { printf '\n=== %s\n' "$*"; }
fail() { printf '\nFAILED: %s\n' "$*" >&2; exit 1; }
passed() { RESULTS+=("ok    $*"); printf 'ok: %s\n' "$*"; }
psql_super() { runuser -u postgres -- psql -v ON_ERROR_STOP=1 -q "$@"; }

[ "$(id -u)" = 0 ] || fail "run as root (podman mount, chroot and the postgres superuser need it)"
for tool in podman git curl openssl python3 runuser; do
  command -v "$tool" >/dev/null || fail "$tool is missing (apt-get install podman buildah debootstrap)"
done

cleanup() {
  local status=$?
  set +e
  log "cleaning up"
  for name in "${!PIDS[@]}"; do stop_command "$name"; done
  if [ "$MODE" = "podman run" ]; then
    podman rm -f -t 10 "vkct-web-$SUFFIX" "vkct-worker-$SUFFIX" >/dev/null 2>&1
  fi
  if [ -n "$ROOTFS" ]; then
    for mountpoint in etc/hosts etc/resolv.conf dev proc; do
      mountpoint -q "$ROOTFS/$mountpoint" 2>/dev/null && umount "$ROOTFS/$mountpoint"
    done
    podman umount "$ROOTFS_CONTAINER" >/dev/null
  fi
  [ -n "$ROOTFS_CONTAINER" ] && podman rm -f "$ROOTFS_CONTAINER" >/dev/null
  remove_images
  psql_super -d postgres >/dev/null 2>&1 <<SQL
DROP DATABASE IF EXISTS $DB WITH (FORCE);
DROP ROLE IF EXISTS $APP;
DROP ROLE IF EXISTS $OWNER;
SQL
  rm -rf --one-file-system "$WORK"
  echo "database $DB and roles $OWNER, $APP dropped; $WORK removed"
  exit $status
}
trap cleanup EXIT

remove_images() {  # only what this run made: its tag and, if it imported it, the base's name
  if [ "$BASE_IMPORTED" = 1 ]; then
    podman untag "$BASE" "$BASE" >/dev/null && echo "the imported base $BASE: name removed"
  fi
  [ "$IMAGE_BUILT" = 1 ] && [ "$IMAGE_OWN" = 1 ] || return 0  # a name given in IMAGE= stays
  if [ "$BASE_IMPORTED" = 1 ]; then
    # Its layers would serve no later build (a new base is imported then): all of it goes.
    podman rmi "$IMAGE" >/dev/null && echo "image $IMAGE removed"
  else
    podman rmi --no-prune "$IMAGE" >/dev/null && echo "image tag $IMAGE removed (its layers stay in the cache)"
  fi
}

# --- 1. the base image ----------------------------------------------------------------------------
log "1. base image $BASE"
if podman image exists "$BASE"; then
  echo "present"
elif timeout 120 podman pull -q "$BASE" >/dev/null 2>&1; then
  echo "pulled from the registry"
else
  command -v debootstrap >/dev/null || fail "no registry and no debootstrap (apt-get install debootstrap)"
  echo "no registry: a minimal Debian 12 with debootstrap (a few minutes)"
  nice -n 10 debootstrap --variant=minbase bookworm "$WORK/rootfs" http://deb.debian.org/debian >"$WORK/debootstrap.log" 2>&1 \
    || fail "debootstrap: $(tail -n 5 "$WORK/debootstrap.log")"
  # The official image's sources: also the security updates and the point-release updates.
  cat >"$WORK/rootfs/etc/apt/sources.list" <<'SOURCES'
deb http://deb.debian.org/debian bookworm main
deb http://deb.debian.org/debian bookworm-updates main
deb http://deb.debian.org/debian-security bookworm-security main
SOURCES
  rm -rf "$WORK"/rootfs/var/cache/apt/archives/*.deb "$WORK"/rootfs/var/lib/apt/lists/*
  (cd "$WORK/rootfs" && tar -c --numeric-owner -f "$WORK/base.tar" .)
  podman import -q "$WORK/base.tar" "$BASE" >/dev/null
  BASE_IMPORTED=1
  rm -rf --one-file-system "$WORK/rootfs" "$WORK/base.tar"
  echo "imported as $BASE"
fi

# --- 2. the image, from the committed code ----------------------------------------------------------
log "2. build $IMAGE from HEAD ($(git rev-parse --short HEAD))"
mkdir "$WORK/src"
git archive HEAD | tar -x -C "$WORK/src"
build_args=()
if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
  build_args+=(--build-arg "EXTRA_CA_CERTS=$(cat /usr/local/share/ca-certificates/*.crt)")
  echo "with the CA certificates of /usr/local/share/ca-certificates (a TLS-inspecting proxy)"
fi
build_started=$(date +%s)
# --format docker: the OCI format has no HEALTHCHECK. --isolation chroot works without an OCI
# runtime; nice: the machine is shared.
(cd "$WORK/src" && nice -n 10 podman build --format docker --isolation chroot --network host --pull=never \
  "${build_args[@]}" -t "$IMAGE" -f Containerfile . >"$WORK/build.log" 2>&1) \
  || fail "podman build: $(tail -n 30 "$WORK/build.log")"
IMAGE_BUILT=1
BUILD_SECONDS=$(($(date +%s) - build_started))
cached=$(grep -c "Using cache" "$WORK/build.log" || true)
passed "image built in ${BUILD_SECONDS}s ($cached steps from the layer cache), $(podman image inspect -f '{{.Size}}' "$IMAGE" | awk '{printf "%.0f MB", $1/1e6}')"

# The image's own configuration: what `podman run` would apply.
python3 - "$IMAGE" >"$WORK/config.sh" <<'PY'
import json, shlex, subprocess, sys
image = json.loads(subprocess.check_output(["podman", "image", "inspect", sys.argv[1]]))[0]
config = image["Config"]
print("IMAGE_USER=" + shlex.quote(config.get("User") or "0"))
print("IMAGE_WORKDIR=" + shlex.quote(config.get("WorkingDir") or "/"))
print("IMAGE_ENV=(" + " ".join(shlex.quote(e) for e in config.get("Env") or []) + ")")
print("IMAGE_ENTRYPOINT=(" + " ".join(shlex.quote(e) for e in config.get("Entrypoint") or []) + ")")
print("IMAGE_CMD=(" + " ".join(shlex.quote(e) for e in config.get("Cmd") or []) + ")")
test = (image.get("Healthcheck") or {}).get("Test") or []
print("IMAGE_HEALTHCHECK=(" + " ".join(shlex.quote(e) for e in test[1:] if test[:1] == ["CMD"]) + ")")
PY
# shellcheck source=/dev/null
. "$WORK/config.sh"
echo "User=$IMAGE_USER WorkingDir=$IMAGE_WORKDIR Entrypoint=${IMAGE_ENTRYPOINT[*]} Cmd=${IMAGE_CMD[*]}"
[ "${IMAGE_USER%%:*}" = 10001 ] || fail "the image runs as '$IMAGE_USER', not as 10001"
[ ${#IMAGE_HEALTHCHECK[@]} -gt 0 ] || fail "the image has no HEALTHCHECK (in exec form)"

# --- 3. the database, as docs/beheer/installatie.md step 3 makes it ---------------------------------
log "3. database $DB with roles $OWNER (owner) and $APP (application)"
psql_super -d postgres <<SQL
CREATE ROLE $OWNER LOGIN PASSWORD '$PASSWORD_OWNER';
CREATE ROLE $APP LOGIN PASSWORD '$PASSWORD_APP' NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
CREATE DATABASE $DB OWNER $OWNER ENCODING 'UTF8' TEMPLATE template0;
\connect $DB
REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT ALL ON SCHEMA public TO $OWNER;
GRANT CONNECT ON DATABASE $DB TO $APP;
GRANT USAGE ON SCHEMA public TO $APP;
ALTER DEFAULT PRIVILEGES FOR ROLE $OWNER IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO $APP;
ALTER DEFAULT PRIVILEGES FOR ROLE $OWNER IN SCHEMA public
    GRANT USAGE, SELECT ON SEQUENCES TO $APP;
SQL
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# Only environment: a file as `podman run --env-file` reads it (KEY=value, no quotes).
cat >"$WORK/veerkracht.env" <<EOF
SECRET_KEY=$(openssl rand -hex 32)
AUDIT_SEAL_KEY=$(openssl rand -hex 32)
OTP_ENCRYPTION_KEYS=$(openssl rand 32 | base64 | tr '+/' '-_')
ALLOWED_HOSTS=127.0.0.1,localhost
CSRF_TRUSTED_ORIGINS=https://127.0.0.1:$PORT
BEHIND_TLS_PROXY=1
DATABASE_URL=postgres://$APP:$PASSWORD_APP@127.0.0.1:5432/$DB
DATABASE_OWNER_URL=postgres://$OWNER:$PASSWORD_OWNER@127.0.0.1:5432/$DB
PORT=$PORT
WEB_CONCURRENCY=2
WEB_THREADS=2
EOF
chmod 600 "$WORK/veerkracht.env"

# --- running a command of the image: podman run, or a chroot of a container's filesystem ------------
runtime_works() {
  local error
  if error=$(podman run --rm --network host --entrypoint true "$IMAGE" 2>&1); then return 0; fi
  RUNTIME_ERROR=$error
  # A cgroup manager the sandbox refuses is worked around this way; a runtime refusing rlimits not.
  podman run --rm --network host --cgroups=disabled --entrypoint true "$IMAGE" >/dev/null 2>&1 \
    && PODMAN_FLAGS=(--cgroups=disabled)
}

prepare_chroot() {
  ROOTFS_CONTAINER=$(podman create --no-healthcheck --network host --name "vkct-rootfs-$SUFFIX" "$IMAGE")
  ROOTFS=$(podman mount "$ROOTFS_CONTAINER")  # the container's own writable layer over the image
  mount -t proc proc "$ROOTFS/proc"
  mount --bind /dev "$ROOTFS/dev"
  for file in resolv.conf hosts; do  # what podman would write into a container on the host network
    [ -e "$ROOTFS/etc/$file" ] || touch "$ROOTFS/etc/$file"
    mount --bind "/etc/$file" "$ROOTFS/etc/$file"
  done
  CHROOT_ENV=("${IMAGE_ENV[@]}" "HOME=$(awk -F: -v uid="${IMAGE_USER%%:*}" '$3 == uid {print $6}' "$ROOTFS/etc/passwd")")
  while IFS= read -r line; do CHROOT_ENV+=("$line"); done <"$WORK/veerkracht.env"
  # The image's entrypoint, as its user, in its working directory, with only its environment.
  local user=${IMAGE_USER%%:*} group=${IMAGE_USER#*:}
  [ "$group" = "$IMAGE_USER" ] && group=$user
  CHROOT_BARE=(chroot --userspec="$user:$group" --groups="$group" "$ROOTFS"
    /usr/bin/env -i -C "$IMAGE_WORKDIR" "${CHROOT_ENV[@]}")
  CHROOT_PREFIX=("${CHROOT_BARE[@]}" "${IMAGE_ENTRYPOINT[@]}")
}

in_chroot() { "${CHROOT_PREFIX[@]}" "$@"; }

run_command() {  # NAME ARGS...: in the foreground (no ARGS: the image's default command)
  local name=$1
  shift
  if [ "$MODE" = "podman run" ]; then
    podman run --rm "${PODMAN_FLAGS[@]}" --network host --env-file "$WORK/veerkracht.env" "$IMAGE" "$@"
  else
    [ $# -gt 0 ] || set -- "${IMAGE_CMD[@]}"
    in_chroot "$@"
  fi
}

start_command() {  # NAME ARGS...: in the background, its output in $WORK/NAME.log
  local name=$1
  shift
  if [ "$MODE" = "podman run" ]; then
    podman run -d "${PODMAN_FLAGS[@]}" --name "vkct-$name-$SUFFIX" --network host \
      --env-file "$WORK/veerkracht.env" "$IMAGE" "$@" >/dev/null
    PIDS[$name]=$(podman inspect -f '{{.State.Pid}}' "vkct-$name-$SUFFIX")
  else
    [ $# -gt 0 ] || set -- "${IMAGE_CMD[@]}"
    # Its own session and process group, so that stopping it reaches the server's worker processes;
    # setsid and chroot exec, so $! is the application's process and the group's id.
    (exec setsid "${CHROOT_PREFIX[@]}" "$@" >"$WORK/$name.log" 2>&1) &
    PIDS[$name]=$!
  fi
}

command_log() {
  if [ "$MODE" = "podman run" ]; then podman logs "vkct-$1-$SUFFIX" 2>&1 | tail -n 30; else tail -n 30 "$WORK/$1.log"; fi
}

stop_command() {
  local name=$1 pid=${PIDS[$1]}
  if [ "$MODE" = "podman run" ]; then
    podman stop -t 20 "vkct-$name-$SUFFIX" >/dev/null 2>&1
  else
    kill -TERM -- "-$pid" 2>/dev/null || true  # its own process group (setsid): the server and its workers
    for _ in $(seq 30); do kill -0 -- "-$pid" 2>/dev/null || break; sleep 1; done
    if kill -KILL -- "-$pid" 2>/dev/null; then echo "$name did not stop within 30 s of SIGTERM: killed"; fi
  fi
  unset "PIDS[$name]"
}

log "4. running the image"
PODMAN_FLAGS=()
RUNTIME_ERROR=""
if runtime_works; then
  MODE="podman run"
  echo "RUNS WITH: podman run ${PODMAN_FLAGS[*]} (the OCI runtime starts containers here)"
else
  MODE="chroot"
  echo "RUNS WITH: chroot of the image's filesystem, NOT podman run: the OCI runtime cannot start a"
  echo "container on this machine ($(grep -o 'crun: .*' <<<"$RUNTIME_ERROR" | head -n1 || echo "$RUNTIME_ERROR" | head -n1))."
  echo "Same image, user, environment, working directory and entrypoint; host network; no namespaces, cgroups or rlimits."
  prepare_chroot
fi
passed "runs as: $MODE"

log "5. veerkracht prepare --skip-static"
run_command prepare prepare --skip-static >"$WORK/prepare.log" 2>&1 || fail "prepare: $(tail -n 30 "$WORK/prepare.log")"
tail -n 3 "$WORK/prepare.log"
passed "prepare --skip-static (migrations as the owner role, cache table, check --deploy)"

log "6. the web server (default command) on port $PORT and the worker"
start_command web
start_command worker worker
for _ in $(seq 90); do
  [ "$(curl -s "http://127.0.0.1:$PORT/healthz" 2>/dev/null)" = ok ] && break
  kill -0 "${PIDS[web]}" 2>/dev/null || fail "the web server stopped: $(command_log web)"
  sleep 1
done
[ "$(curl -s "http://127.0.0.1:$PORT/healthz")" = ok ] || fail "/healthz does not answer ok: $(command_log web)"
passed "/healthz: ok"
# The image's HEALTHCHECK, as the engine would run it (the server listens on PORT, not on 8000).
if [ "$MODE" = "podman run" ]; then
  podman healthcheck run "vkct-web-$SUFFIX" || fail "the image's HEALTHCHECK fails"
else
  "${CHROOT_BARE[@]}" "${IMAGE_HEALTHCHECK[@]}" || fail "the image's HEALTHCHECK fails"
fi
passed "the image's HEALTHCHECK passes on port $PORT"

ready=""
for _ in $(seq 60); do
  ready=$(curl -s "http://127.0.0.1:$PORT/readyz" || true)
  python3 -c 'import json, sys; d = json.loads(sys.argv[1]); sys.exit(not (d["status"] == "ok" and d["checks"]["worker"] == "ok"))' "$ready" 2>/dev/null && break
  kill -0 "${PIDS[worker]}" 2>/dev/null || fail "the worker stopped: $(command_log worker)"
  sleep 2
done
python3 -c 'import json, sys; d = json.loads(sys.argv[1]); sys.exit(not (d["status"] == "ok" and d["checks"]["worker"] == "ok"))' "$ready" 2>/dev/null \
  || fail "/readyz is not ready with the worker's beat: $ready; worker: $(command_log worker)"
passed "/readyz: $ready"

# As behind the reverse proxy (BEHIND_TLS_PROXY=1): it tells the application the request was https.
https() { curl -s -H "X-Forwarded-Proto: https" "$@"; }
status=$(https -o "$WORK/login.html" -w '%{http_code}' "http://127.0.0.1:$PORT/inloggen/")
[ "$status" = 200 ] || fail "/inloggen/ answers $status"
stylesheet=$(grep -o 'href="/static/[^"]*\.css"' "$WORK/login.html" | head -n1 | sed 's/^href="//; s/"$//')
[ -n "$stylesheet" ] || fail "the sign-in page links no stylesheet under /static/"
read -r status type < <(https -o /dev/null -w '%{http_code} %{content_type}\n' "http://127.0.0.1:$PORT$stylesheet")
[ "$status" = 200 ] && [[ $type == text/css* ]] || fail "$stylesheet answers $status $type"
passed "/inloggen/: 200, its stylesheet $stylesheet: 200 $type (collected into the image)"

log "7. user ids"
for name in web worker; do
  # The command's process and its children (the web server's worker processes).
  pids=$(ps -o pid= --ppid "${PIDS[$name]}" --pid "${PIDS[$name]}" 2>/dev/null | tr -s ' \n' ' ')
  if [ "$MODE" = chroot ]; then  # its whole process group (setsid)
    pids=$(ps -o pid= -g "${PIDS[$name]}" | tr -s ' \n' ' ')
  fi
  uids=$(for pid in $pids; do ps -o uid= -p "$pid" || true; done | tr -d ' ' | sort -u | tr '\n' ' ')
  echo "$name: processes $pids-> uid(s) of the application's processes: $uids"
  [ "$(echo $uids)" = 10001 ] || fail "$name runs as uid(s) '$uids', not only 10001"
done
passed "web and worker run as uid 10001, not root"

log "8. veerkracht demo"
if run_command demo demo >"$WORK/demo.log" 2>&1; then
  fail "demo ran in the image: $(tail -n 5 "$WORK/demo.log")"
fi
grep -q "not installed here" "$WORK/demo.log" || fail "demo failed otherwise: $(tail -n 5 "$WORK/demo.log")"
passed "demo refuses: $(grep -o 'The demo city needs[^:]*' "$WORK/demo.log" | head -n1)"

log "9. stopping"
for name in web worker; do
  stopped=$(date +%s)
  stop_command "$name"
  echo "$name stopped after $(($(date +%s) - stopped)) s"
done
passed "web and worker stopped on SIGTERM"

log "SUMMARY ($MODE, $(($(date +%s) - START)) s in all)"
printf '%s\n' "${RESULTS[@]}"
