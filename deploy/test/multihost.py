"""The two-host test's driver, run by ``deploy/test/multihost.sh`` once the namespaces are up.

It starts the hosts' services inside their namespaces, builds the database the way the load
benchmark does (``bench/load_city.py``: the demo city, load users with a second factor, an owner
role and an application role without BYPASSRLS), then from outside the hosts:

1. checks what must be shared across hosts, talking to each application host directly: a session
   made on one is valid on the other, failed sign-ins on both add up to one lockout, and an
   idempotency key used on one is answered from the other without a second write;
2. drives a bounded load through the balancer (workers log contacts, coordinators open the
   dashboard and start matching runs, members of the public register), with both hosts;
3. stops one application host (every process on it, at once, as a host that dies) and measures how
   long the balancer takes to notice; the load goes on with one host, which gives its throughput;
4. brings the host back, then restarts the primary database (down for a few seconds): requests
   get a clean 503 meanwhile and succeed again afterwards, without restarting the application;
5. stops the load, lets the queued runs finish, and counts in the database: every acknowledged
   write exactly once, every queued matching run done once.

A write that did not get its answer is sent again with the same idempotency key, as a browser's
second tap would, until it is acknowledged: so the database must hold exactly what was
acknowledged, no more (a duplicate) and no less (a loss).
"""

import argparse
import contextlib
import itertools
import os
import pwd
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
VEERKRACHT = str(Path(sys.executable).with_name("veerkracht"))
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
MODE = re.compile(r'name="mode" value="([^"]+)"')
FAILURE_LIMIT = 5  # sign-in failures before a lockout, on every host
# New for every run, and never on a command line (others read those in ps): this machine is on the
# subnet too (the bridge's 10.x.x.1), so a fixed password or trust would let any local user in.
SUPERUSER_PASSWORD = secrets.token_hex(24)
ROLE_PASSWORD = secrets.token_hex(24)  # the owner's and the application's role (bench/load_city.py)
REDIS_PASSWORD = secrets.token_hex(24)
APP_USER = "nobody"  # serve and worker run as this user, not as root (they unpickle what Redis holds)
STALE_AFTER_S = 8  # a run whose worker died is queued again after this (TASK_STALE_AFTER_SECONDS)


# --- the hosts ----------------------------------------------------------------------------------


@dataclass
class Net:
    prefix: str
    subnet: str

    def ns(self, host: str) -> str:
        return f"{self.prefix}-{host}"

    def address(self, host: str) -> str:
        return f"{self.subnet}.{ {'db': 10, 'app1': 11, 'app2': 12, 'lb': 20}[host] }"


@dataclass
class Cluster:
    """The processes this run started, per host, so a host can be stopped as a whole."""

    net: Net
    work: Path
    pg_bin: str
    processes: dict[str, list[subprocess.Popen[bytes]]] = field(default_factory=dict)
    app_user: list[str] = field(default_factory=list)  # setpriv's options for APP_USER; empty: root

    def start(self, host: str, name: str, command: list[str], env: dict[str, str] | None = None) -> None:
        log = open(self.work / f"{host}-{name}.log", "ab")  # noqa: SIM115 - the process keeps it
        process = subprocess.Popen(  # noqa: S603 - our own commands
            ["ip", "netns", "exec", self.net.ns(host), *command],  # noqa: S607 - iproute2 from the PATH
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes.setdefault(host, []).append(process)

    def kill_host(self, host: str) -> None:
        """Every process on the host at once (SIGKILL): a machine that died, not a polite stop."""
        for process in self.processes.pop(host, []):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()

    def as_postgres(self, *command: str) -> list[str]:
        return ["ip", "netns", "exec", self.net.ns("db"), "runuser", "-u", "postgres", "--", *command]

    def as_app_user(self, *command: str) -> list[str]:
        """``command`` as APP_USER; setpriv execs it (no process of root's in between, unlike runuser),
        so stopping the process group still stops the application's processes."""
        return ["setpriv", *self.app_user, "--", *command] if self.app_user else list(command)

    def run_as_postgres(self, *command: str) -> None:
        subprocess.run(self.as_postgres(*command), check=True, stdout=subprocess.DEVNULL)  # noqa: S603


def app_user_options() -> list[str]:
    """setpriv's options to run as APP_USER, or none (root, with a note) when that user cannot run
    this interpreter the way serve does (it execs sys.executable; the cache needs the Redis client):
    a virtualenv whose Python lies in a directory closed to others (/root/.pyenv) is such a case."""
    account = pwd.getpwnam(APP_USER)
    options = [f"--reuid={account.pw_uid}", f"--regid={account.pw_gid}", "--clear-groups"]
    probe = "import os, sys, gunicorn, redis; os.execv(sys.executable, [sys.executable, '-c', ''])"
    done = subprocess.run(["setpriv", *options, "--", sys.executable, "-c", probe], capture_output=True, cwd="/")  # noqa: S603, S607
    if done.returncode == 0:
        return options
    error = (done.stderr.decode(errors="replace").strip().splitlines() or ["?"])[-1]
    print(
        f"multihost: note: {APP_USER} cannot run {sys.executable} ({error}): serve and worker run as root", flush=True
    )
    return []


def _wait(what: str, ready: Callable[[], bool], seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if ready():
            return
        time.sleep(0.2)
    raise SystemExit(f"multihost: {what} did not come up within {seconds:.0f} s")


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - our own hosts
            return bool(response.status == 200)
    except OSError:
        return False


def _port_open(address: str, port: int) -> bool:
    try:
        with socket.create_connection((address, port), timeout=1):
            return True
    except OSError:
        return False


def start_database(cluster: Cluster) -> None:
    """The primary on :5432 and Redis on :6379, both with this run's passwords (scram-sha-256)."""
    net, work = cluster.net, cluster.work
    primary, sockets = _postgres_dir(work / "primary"), _postgres_dir(work / "sockets")
    password_file = _postgres_file(sockets / "superuser-password", SUPERUSER_PASSWORD + "\n")
    cluster.run_as_postgres(
        f"{cluster.pg_bin}/initdb", "-D", str(primary), "-U", "postgres", "-A", "scram-sha-256",
        f"--pwfile={password_file}", "-E", "UTF8",
    )  # fmt: skip
    password_file.unlink()
    with open(primary / "postgresql.conf", "a") as conf:
        conf.write(
            f"listen_addresses = '{net.address('db')}'\nport = 5432\nunix_socket_directories = '{sockets}'\n"
            "wal_level = replica\nmax_wal_senders = 5\nhot_standby = on\nmax_connections = 100\n"
            "shared_buffers = 128MB\nfsync = on\n"
        )
    (primary / "pg_hba.conf").write_text(_hba(net))  # only these rules: not initdb's for 127.0.0.1 and the socket
    cluster.start("db", "primary", cluster.as_postgres(f"{cluster.pg_bin}/postgres", "-D", str(primary)))
    _wait("the primary", lambda: _port_open(net.address("db"), 5432))
    # A password, as Redis wants for connections from other hosts (and as production must have): in
    # a file only the postgres user reads, not on the command line.
    config = f"bind {net.address('db')}\nport 6379\nrequirepass {REDIS_PASSWORD}\n"
    config += f'save ""\nappendonly no\ndir {sockets}\n'
    redis_conf = _postgres_file(sockets / "redis.conf", config)
    cluster.start("db", "redis", cluster.as_postgres("redis-server", str(redis_conf)))
    _wait("Redis", lambda: _port_open(net.address("db"), 6379))


def _hba(net: Net) -> str:
    """Who may connect, by password (scram-sha-256): the application hosts as the application's role;
    this machine (the bridge's .1, where the driver builds the database and counts) as the
    superuser and the owner; the database host itself for the replica's base backup and streaming."""
    from load_city import APP, OWNER

    lines = [f"host all {APP} {net.address(host)}/32 scram-sha-256" for host in ("app1", "app2")]
    lines.append(f"host all postgres,{OWNER} {net.subnet}.1/32 scram-sha-256")
    lines.append(f"host replication postgres {net.address('db')}/32 scram-sha-256")
    return "\n".join(lines) + "\n"


def _postgres_dir(path: Path) -> Path:
    """A directory of the postgres user's own (PostgreSQL refuses a data directory others can read)."""
    path.mkdir(mode=0o700)
    shutil.chown(path, "postgres", "postgres")
    return path


def _postgres_file(path: Path, text: str) -> Path:
    """A file only the postgres user reads (mode 600 from its creation): passwords, Redis' configuration."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as file:
        file.write(text)
    shutil.chown(path, "postgres", "postgres")
    return path


def restart_primary(cluster: Cluster, down_s: float) -> None:
    """Stop the primary (fast: sessions cut), keep it down ``down_s`` seconds, start it again."""
    primary = cluster.work / "primary"
    cluster.run_as_postgres(f"{cluster.pg_bin}/pg_ctl", "-D", str(primary), "-m", "fast", "-w", "stop")
    for process in cluster.processes["db"]:
        if process.args[-1] == str(primary):
            process.wait()
    cluster.processes["db"] = [p for p in cluster.processes["db"] if p.poll() is None]
    time.sleep(down_s)
    cluster.start("db", "primary", cluster.as_postgres(f"{cluster.pg_bin}/postgres", "-D", str(primary)))
    _wait("the primary after its restart", lambda: _port_open(cluster.net.address("db"), 5432))


def start_replica(cluster: Cluster) -> None:
    """A streaming replica from a base backup of the primary (``-R``: it follows the primary)."""
    replica = _postgres_dir(cluster.work / "replica")
    # The password from a file, not the command line. -R writes this connection (with the file's name)
    # into the replica's settings, so the file stays for the run: the replica reconnects with it.
    passfile = _postgres_file(cluster.work / "sockets" / "pgpass", f"*:*:*:postgres:{SUPERUSER_PASSWORD}\n")
    conninfo = f"host={cluster.net.address('db')} user=postgres passfile={passfile}"
    cluster.run_as_postgres(
        f"{cluster.pg_bin}/pg_basebackup", "-d", conninfo,
        "-D", str(replica), "-R", "-X", "stream", "-c", "fast",
    )  # fmt: skip
    cluster.start("db", "replica", cluster.as_postgres(f"{cluster.pg_bin}/postgres", "-D", str(replica), "-p", "5433"))
    _wait("the replica", lambda: _port_open(cluster.net.address("db"), 5433))


def app_env(net: Net, host: str, work: Path, database: str) -> dict[str, str]:
    from load_city import APP, ROLE_PASSWORD, SERVER_ENV

    db = net.address("db")
    hosts = ",".join(net.address(name) for name in ("lb", "app1", "app2"))
    driver = {key: value for key, value in os.environ.items() if key != "BENCH_DATABASE_URL"}  # the superuser's
    return {
        **driver,
        **SERVER_ENV,
        "DATABASE_URL": f"postgres://{APP}:{ROLE_PASSWORD}@{db}:5432/{database}",
        "DATABASE_REPLICA_URL": f"postgres://{APP}:{ROLE_PASSWORD}@{db}:5433/{database}",
        "REDIS_URL": f"redis://:{REDIS_PASSWORD}@{db}:6379/0",
        "ALLOWED_HOSTS": hosts,
        "LOGIN_FAILURE_LIMIT": str(FAILURE_LIMIT),
        "TASK_STALE_AFTER_SECONDS": str(STALE_AFTER_S),
        "VEERKRACHT_VAR_DIR": str(work / "var"),
        "HOME": str(work / "var"),  # APP_USER's own
        "PROMETHEUS_MULTIPROC_DIR": str(work / "metrics" / host),  # per host: never shared
        "WEB_CONCURRENCY": "1",
        "WEB_THREADS": "6",
        "LOG_LEVEL": "WARNING",
    }


def start_app(cluster: Cluster, host: str, database: str) -> None:
    env = app_env(cluster.net, host, cluster.work, database)
    address = cluster.net.address(host)
    serve = [VEERKRACHT, "serve", "--no-task-worker", "--host", address, "--port", "8000"]
    cluster.start(host, "web", cluster.as_app_user(*serve), env)
    cluster.start(host, "worker", cluster.as_app_user(VEERKRACHT, "worker"), env)
    _wait(f"{host}'s web server", lambda: _answers(f"http://{address}:8000/readyz"))


def give_to_app_user(cluster: Cluster) -> None:
    """What serve and worker write (var: the outbox; metrics: their counters) belongs to APP_USER."""
    work = cluster.work
    (work / "metrics").mkdir(mode=0o700)
    cluster.app_user = app_user_options()
    if not cluster.app_user:
        return
    account = pwd.getpwnam(APP_USER)
    # -R changes the link var/static itself, not the checkout's var/multihost-static it points to.
    for path in (work / "var", work / "metrics"):
        subprocess.run(["chown", "-R", f"{account.pw_uid}:{account.pw_gid}", str(path)], check=True)  # noqa: S603, S607


HAPROXY = """global
    maxconn 400
    stats socket {work}/haproxy.sock mode 600 level admin
defaults
    mode http
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    # A request the chosen host refused or dropped unanswered goes to another host; writes carry
    # an idempotency key, so sending one again never writes twice.
    retries 3
    option redispatch 1
    retry-on conn-failure empty-response
frontend veerkracht
    bind {lb}:80
    default_backend app
backend app
    balance roundrobin
    option httpchk GET /readyz
    http-check expect status 200
    default-server inter 1s fastinter 500ms downinter 1s fall 2 rise 2
    server app1 {app1}:8000 check
    server app2 {app2}:8000 check
"""


def start_balancer(cluster: Cluster) -> None:
    net = cluster.net
    config = cluster.work / "haproxy.cfg"
    addresses = {name: net.address(name) for name in ("lb", "app1", "app2")}
    config.write_text(HAPROXY.format(work=cluster.work, **addresses))
    cluster.start("lb", "haproxy", ["haproxy", "-db", "-f", str(config)])
    _wait("HAProxy", lambda: _answers(f"http://{net.address('lb')}/healthz"))


def backend_states(work: Path) -> dict[str, str]:
    """HAProxy's view of each application host (UP, DOWN, ...), from its stats socket."""
    with socket.socket(socket.AF_UNIX) as sock:
        sock.connect(str(work / "haproxy.sock"))
        sock.sendall(b"show stat\n")
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    states = {}
    for line in data.decode().splitlines():
        cells = line.split(",")
        if len(cells) > 17 and cells[0] == "app" and cells[1] in ("app1", "app2"):
            states[cells[1]] = cells[17].split(" ")[0]
    return states


def wait_state(work: Path, host: str, state: str, seconds: float = 120) -> float:
    """Seconds until the balancer holds ``host`` in ``state``."""
    started = time.monotonic()
    _wait(f"{host} {state} at the balancer", lambda: backend_states(work).get(host) == state, seconds)
    return time.monotonic() - started


# --- the load -----------------------------------------------------------------------------------


@dataclass
class Record:
    at: float
    name: str
    ok: bool
    status: int  # 0: no answer at all
    ms: float


class Log:
    """Every request the load made: when, what, and whether it got the answer it should."""

    def __init__(self) -> None:
        self.records: list[Record] = []
        self.lock = threading.Lock()
        self.acknowledged: dict[str, int] = {}  # per kind of write, per writer (worker:user, public, ...)
        self.matching_runs = 0

    def add(self, name: str, ok: bool, status: int, since: float) -> None:
        now = time.monotonic()
        with self.lock:
            self.records.append(Record(now, name, ok, status, (now - since) * 1000))

    def acked(self, key: str) -> None:
        with self.lock:
            self.acknowledged[key] = self.acknowledged.get(key, 0) + 1

    def between(self, start: float, end: float) -> list[Record]:
        with self.lock:
            return [r for r in self.records if start <= r.at < end]


class Client:
    """One person's browser: a session cookie, pages and form posts, every request logged."""

    def __init__(self, base: str, log: Log) -> None:
        import requests

        self.base, self.log = base, log
        self.http = requests.Session()

    def move_to(self, base: str) -> None:
        """Send the next requests to another host with the same cookies, as a browser does when the
        balancer picks another host (the cookie jar keeps cookies per host name, a browser per site)."""
        cookies = [(cookie.name, cookie.value) for cookie in self.http.cookies]
        self.http.cookies.clear()
        for name, value in cookies:
            self.http.cookies.set(name, value)
        self.base = base

    def get(self, path: str, name: str, *, expect: int = 200) -> str:
        since = time.monotonic()
        try:
            response = self.http.get(self.base + path, allow_redirects=False, timeout=30)
        except OSError:
            self.log.add(name, False, 0, since)
            return ""
        self.log.add(name, response.status_code == expect, response.status_code, since)
        return response.text if response.status_code == expect else ""

    def post(self, path: str, data: dict[str, str], name: str, *, htmx: bool = False, key: str = "") -> Any:
        headers = {"HX-Request": "true"} if htmx else {}
        data = {**data, "idempotency_key": key or uuid.uuid4().hex}
        since = time.monotonic()
        try:
            response = self.http.post(self.base + path, data=data, headers=headers, allow_redirects=False, timeout=30)
        except OSError:
            self.log.add(name, False, 0, since)
            return None
        location = response.headers.get("Location", "")
        ok = response.status_code == (200 if htmx else 302) and not location.startswith("/inloggen/?")
        self.log.add(name, ok, response.status_code, since)
        return response if ok else None

    def write(self, path: str, data: dict[str, str], name: str, *, htmx: bool = False, give_up_s: float = 90) -> Any:
        """A write sent again with the same key until it is acknowledged (a browser's second tap)."""
        key = uuid.uuid4().hex
        deadline = time.monotonic() + give_up_s
        while time.monotonic() < deadline:
            response = self.post(path, data, name, htmx=htmx, key=key)
            if response is not None:
                return response
            time.sleep(0.5)
        return None

    def sign_in(self, account: dict[str, Any], password: str, name: str = "sign in") -> bool:
        from django_otp.oath import totp

        form = self.get("/inloggen/", f"{name}: form")
        data = {"username": account["username"], "password": password, "csrfmiddlewaretoken": _csrf(form)}
        if self.post("/inloggen/", data, f"{name}: password") is None:
            return False
        if account["key"]:
            form = self.get("/inloggen/code/", f"{name}: code form")
            code = f"{totp(bytes.fromhex(account['key'])):06d}"
            if (
                self.post("/inloggen/code/", {"code": code, "csrfmiddlewaretoken": _csrf(form)}, f"{name}: code")
                is None
            ):
                return False
        return True


def _csrf(html: str) -> str:
    match = CSRF.search(html)
    return match.group(1) if match else ""


class Load:
    """Workers, coordinators and the public, each in a thread, until ``stop`` is set."""

    def __init__(self, base: str, made: dict[str, Any], log: Log, workers: int, coordinators: int, public: int) -> None:
        self.base, self.made, self.log = base, made, log
        self.stop = threading.Event()
        self.choice = random.Random(25)  # noqa: S311 - which resident to open, not a secret
        accounts = made["users"]
        self.workers = [a for a in accounts if a["role"] == "worker"][:workers]
        self.coordinators = [a for a in accounts if a["role"] == "coordinator"][:coordinators]
        self.public = public
        self.visitors = itertools.count(1)
        self.threads: list[threading.Thread] = []
        self.signed_in = 0

    def pause(self, low: float, high: float) -> None:
        self.stop.wait(self.choice.uniform(low, high))

    def worker(self, account: dict[str, Any]) -> None:
        client = Client(self.base, self.log)
        if not client.sign_in(account, self.made["password"]):
            return
        self.signed_in += 1
        while not self.stop.is_set():
            resident = self.choice.choice(account["residents"])
            page = client.get(f"/bewoners/{resident}/", "worker: resident page")
            self.pause(0.5, 1.5)
            if page:
                data = {"channel": self.choice.choice(["phone", "home_visit", "porch_talk"]), "duration_minutes": "15"}
                data |= {"reached": "1", "initiative": "worker", "csrfmiddlewaretoken": _csrf(page)}
                if client.write(f"/bewoners/{resident}/contact/", data, "worker: log contact", htmx=True):
                    self.log.acked(f"contact:{account['username']}")
            client.get("/werklijsten/uit-beeld/", "worker: out-of-sight worklist")
            self.pause(0.5, 1.5)

    def coordinator(self, account: dict[str, Any], matching: bool) -> None:
        client = Client(self.base, self.log)
        if not client.sign_in(account, self.made["password"]):
            return
        self.signed_in += 1
        last_run = time.monotonic()
        while not self.stop.is_set():
            client.get("/inzicht/", "coordinator: dashboard")
            self.pause(1, 2)
            client.get("/", "coordinator: start page")
            if matching and time.monotonic() - last_run > 12:
                board = client.get("/burenhulp/", "coordinator: help board")
                if board and client.write(
                    "/burenhulp/koppelen/", {"csrfmiddlewaretoken": _csrf(board)}, "coordinator: matching run"
                ):
                    self.log.acked("matching")
                last_run = time.monotonic()
            self.pause(1, 2)

    def visitor(self) -> None:
        client = Client(self.base, self.log)
        while not self.stop.is_set():
            activity = self.choice.choice(self.made["activities"])
            page = client.get(f"/activiteiten/{activity}/", "public: activity page")
            self.pause(0.5, 1.5)
            if page:
                number = next(self.visitors)
                mode = MODE.search(page)
                data = {"name": f"Meerhost {number}", "phone": f"0612{number:06d}", "consent": "on"}
                data |= {"mode": mode.group(1) if mode else "onsite", "csrfmiddlewaretoken": _csrf(page)}
                if client.write(f"/activiteiten/{activity}/", data, "public: register"):
                    self.log.acked("registration")
            self.pause(1, 2)

    def capacity(self, seconds: float, threads: int) -> None:
        """Beside the load, ``threads`` browsers open public activity pages without pausing: the most
        the hosts serve (requests named apart, so the fault windows count only the people's load)."""
        deadline = time.monotonic() + seconds

        def browse() -> None:
            client = Client(self.base, self.log)
            while time.monotonic() < deadline:
                client.get(f"/activiteiten/{self.choice.choice(self.made['activities'])}/", "capacity: activity page")

        runners = [threading.Thread(target=browse, daemon=True) for _ in range(threads)]
        for runner in runners:
            runner.start()
        for runner in runners:
            runner.join()

    def start(self) -> None:
        targets: list[Callable[[], None]] = [lambda a=a: self.worker(a) for a in self.workers]  # type: ignore[misc]
        targets += [lambda a=a, i=i: self.coordinator(a, i == 0) for i, a in enumerate(self.coordinators)]  # type: ignore[misc]
        targets += [self.visitor] * self.public
        for target in targets:
            thread = threading.Thread(target=target, daemon=True)
            thread.start()
            self.threads.append(thread)
            time.sleep(0.3)  # a gentle ramp-up

    def finish(self) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=120)


# --- across hosts -------------------------------------------------------------------------------


def across_hosts(net: Net, made: dict[str, Any], database_url: str) -> list[tuple[str, bool]]:
    """Sessions, lockouts and idempotency keys, checked by talking to each host directly."""
    import psycopg

    one, two = (f"http://{net.address(host)}:8000" for host in ("app1", "app2"))
    log = Log()
    workers = [a for a in made["users"] if a["role"] == "worker"]
    spare_worker, locked = workers[-1], [a for a in made["users"] if a["role"] == "coordinator"][-1]
    checks = []

    browser = Client(one, log)
    signed_in = browser.sign_in(spare_worker, made["password"])
    resident = spare_worker["residents"][0]
    browser.move_to(two)
    page = browser.get(f"/bewoners/{resident}/", "session on the other host")
    checks.append(("a session made on app1 is valid on app2", signed_in and bool(page)))

    data = {"channel": "phone", "duration_minutes": "15", "reached": "1", "initiative": "worker"}
    data["csrfmiddlewaretoken"] = _csrf(page)
    key = uuid.uuid4().hex
    browser.move_to(one)
    first = browser.post(f"/bewoners/{resident}/contact/", data, "write on app1", htmx=True, key=key)
    browser.move_to(two)
    second = browser.post(f"/bewoners/{resident}/contact/", data, "same key on app2", htmx=True, key=key)
    with psycopg.connect(database_url) as connection:
        (contacts,) = connection.execute(
            "SELECT count(*) FROM contacts_contact c JOIN core_user u ON u.id = c.worker_id WHERE u.username = %s",
            [spare_worker["username"]],
        ).fetchone() or (0,)
    replayed = second is not None and second.headers.get("Idempotent-Replayed") == "true"
    checks.append(
        (
            f"an idempotency key used on app1 is replayed by app2, one contact written ({contacts})",
            bool(first) and replayed and contacts == 1,
        )
    )

    attempts = [Client(one if n % 2 == 0 else two, log) for n in range(FAILURE_LIMIT)]
    for client in attempts:  # wrong passwords, alternately on each host
        form = client.get("/inloggen/", "lockout: form")
        wrong = {"username": locked["username"], "password": "not-the-password-1", "csrfmiddlewaretoken": _csrf(form)}
        client.post("/inloggen/", wrong, "lockout: wrong password")
    late = Client(two, log)
    form = late.get("/inloggen/", "lockout: form")
    right = {"username": locked["username"], "password": made["password"], "csrfmiddlewaretoken": _csrf(form)}
    refused = late.post("/inloggen/", right, "lockout: right password") is None
    checks.append((f"{FAILURE_LIMIT} failures spread over both hosts lock the account on either", refused))
    return checks


# --- the run ------------------------------------------------------------------------------------


@dataclass
class Phase:
    name: str
    start: float
    end: float


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))] if ordered else 0.0


def table(log: Log, phases: list[Phase]) -> list[list[str]]:
    rows = []
    for phase in phases:
        records = log.between(phase.start, phase.end)
        seconds = max(0.001, phase.end - phase.start)
        errors = [r for r in records if not r.ok]
        clean = sum(1 for r in errors if r.status == 503)
        rows.append(
            [
                phase.name,
                f"{seconds:.1f}",
                str(len(records)),
                str(len(errors)),
                str(clean),
                f"{(len(records) - len(errors)) / seconds:.1f}",
                f"{_p95([r.ms for r in records if r.ok]):.0f}",
            ]
        )
    return rows


def print_table(title: str, header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    lines = [
        title,
        "  ".join(h.ljust(w) if i == 0 else h.rjust(w) for i, (h, w) in enumerate(zip(header, widths, strict=True))),
    ]
    lines.append("  ".join("-" * w for w in widths))
    lines += [
        "  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True)))
        for row in rows
    ]
    text = "\n".join(lines)
    print("\n" + text, flush=True)
    return text


def count_writes(database_url: str, started_at: str, made: dict[str, Any]) -> dict[str, int]:
    import psycopg

    found: dict[str, int] = {}
    with psycopg.connect(database_url) as connection:
        for username, count in connection.execute(
            "SELECT u.username, count(*) FROM contacts_contact c JOIN core_user u ON u.id = c.worker_id"
            " WHERE c.created_at >= %s GROUP BY u.username",
            [started_at],
        ):
            found[f"contact:{username}"] = count
        (found["registration"],) = connection.execute(
            "SELECT count(*) FROM activities_registration WHERE name LIKE 'Meerhost %%' AND created_at >= %s",
            [started_at],
        ).fetchone() or (0,)
        (found["matching"],) = connection.execute(
            "SELECT count(*) FROM core_taskrun WHERE kind = 'help.match' AND created_at >= %s", [started_at]
        ).fetchone() or (0,)
    return found


def runs_settled(database_url: str, started_at: str) -> tuple[int, int, int, int]:
    """Matching runs since the start: all, done, still queued or running, and attempts beyond the first."""
    import psycopg

    with psycopg.connect(database_url) as connection:
        row = connection.execute(
            "SELECT count(*), count(*) FILTER (WHERE status = 'done'),"
            " count(*) FILTER (WHERE status IN ('queued', 'running')), coalesce(sum(greatest(attempts - 1, 0)), 0)"
            " FROM core_taskrun WHERE kind = 'help.match' AND created_at >= %s",
            [started_at],
        ).fetchone()
    return tuple(int(v) for v in row) if row else (0, 0, 0, 0)  # type: ignore[return-value]


def replica_transactions(net: Net, database: str) -> int:
    """Transactions the replica served in the database so far (a standby counts its own)."""
    import psycopg

    with psycopg.connect(f"postgres://postgres:{SUPERUSER_PASSWORD}@{net.address('db')}:5433/postgres") as connection:
        row = connection.execute(
            "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = %s", [database]
        ).fetchone()
    return int(row[0]) if row else 0


def options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--pg-bin", required=True)
    parser.add_argument("--prefix", required=True)
    parser.add_argument("--subnet", required=True)
    parser.add_argument("--residents", type=int, default=400, help="size of the demo city")
    parser.add_argument("--workers", type=int, default=6, help="workers logging contacts")
    parser.add_argument(
        "--coordinators", type=int, default=2, help="coordinators on the dashboard (one starts matching runs)"
    )
    parser.add_argument("--public", type=int, default=2, help="members of the public registering, one after another")
    parser.add_argument("--window", type=float, default=30, help="seconds of each measured window")
    parser.add_argument("--capacity", type=float, default=15, help="seconds of each flat-out window")
    parser.add_argument("--capacity-threads", type=int, default=4, help="browsers without pauses in those windows")
    parser.add_argument("--db-down", type=float, default=5, help="seconds the primary stays down")
    parser.add_argument("--report", type=Path, help="also write the tables to this file")
    return parser.parse_args()


def main() -> None:
    args = options()
    net, work = Net(args.prefix, args.subnet), args.work
    os.environ["BENCH_DATABASE_URL"] = f"postgres://postgres:{SUPERUSER_PASSWORD}@{net.address('db')}:5432/postgres"
    sys.path.insert(0, str(ROOT / "bench"))
    import load_city
    from load_city import build

    load_city.ROLE_PASSWORD = ROLE_PASSWORD  # this run's, for the roles it makes and the URLs it gives

    cluster = Cluster(net, work, args.pg_bin)
    try:
        _run(cluster, net, work, args, build)
    finally:
        for host in ("lb", "app2", "app1", "db"):
            for process in cluster.processes.get(host, []):
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)


def _run(cluster: Cluster, net: Net, work: Path, args: argparse.Namespace, build: Any) -> None:
    database = "veerkracht"
    superuser_url = f"postgres://postgres:{SUPERUSER_PASSWORD}@{net.address('db')}:5432/{database}"
    started = time.monotonic()
    start_database(cluster)
    (work / "var").mkdir()
    # The collected static files are the same on every run: kept in the checkout's var/ (ignored by git).
    static = ROOT / "var" / "multihost-static"
    static.mkdir(parents=True, exist_ok=True)
    (work / "var" / "static").symlink_to(static)
    import load_city

    load_city.SERVER_ENV["VEERKRACHT_VAR_DIR"] = str(work / "var")
    counts = {"worker": args.workers + 1, "resident": 0, "coordinator": args.coordinators + 1}
    made = build(database, args.residents, counts, static=not (static / "staticfiles.json").exists())
    give_to_app_user(cluster)
    start_replica(cluster)
    for host in ("app1", "app2"):
        start_app(cluster, host, database)
    start_balancer(cluster)
    wait_state(work, "app1", "UP")
    wait_state(work, "app2", "UP")
    took = time.monotonic() - started
    print(f"multihost: database, replica, Redis, two application hosts and the balancer up in {took:.0f} s", flush=True)

    checks = across_hosts(net, made, superuser_url)
    with psycopg_connect(superuser_url) as connection:
        (started_at,) = connection.execute("SELECT now()::text").fetchone()  # the database's clock
    replica_before = replica_transactions(net, database)
    log = Log()
    load = Load(f"http://{net.address('lb')}", made, log, args.workers, args.coordinators, args.public)
    load.start()
    time.sleep(5)  # everyone signed in
    phases: list[Phase] = []

    mark = time.monotonic()
    time.sleep(args.window)
    phases.append(Phase("two application hosts", mark, time.monotonic()))
    mark = time.monotonic()
    load.capacity(args.capacity, args.capacity_threads)
    phases.append(Phase("two hosts, flat out", mark, time.monotonic()))

    killed = time.monotonic()
    cluster.kill_host("app2")
    noticed_s = wait_state(work, "app2", "DOWN", 30)
    noticed = time.monotonic()
    phases.append(Phase("app2 stopped, until the balancer noticed", killed, noticed))
    time.sleep(args.window)
    phases.append(Phase("one application host (after it noticed)", noticed, time.monotonic()))
    mark = time.monotonic()
    load.capacity(args.capacity, args.capacity_threads)
    phases.append(Phase("one host, flat out", mark, time.monotonic()))

    restarted = time.monotonic()
    start_app(cluster, "app2", database)
    wait_state(work, "app2", "UP", 60)
    back_s = time.monotonic() - restarted
    time.sleep(5)

    stopped = time.monotonic()
    restart_primary(cluster, args.db_down)
    up_again = time.monotonic()
    recovered_s = max(wait_state(work, "app1", "UP", 60), wait_state(work, "app2", "UP", 60))
    recovered = time.monotonic()
    phases.append(Phase("primary down and restarting", stopped, up_again))
    phases.append(Phase("primary back, until both hosts ready", up_again, recovered))
    time.sleep(args.window)
    phases.append(Phase("after the restart (both hosts)", recovered, time.monotonic()))
    load.finish()

    _wait("the queued matching runs", lambda: runs_settled(superuser_url, started_at)[2] == 0, 180)
    found = count_writes(superuser_url, started_at, made)
    acknowledged = dict(log.acknowledged)
    runs, done, _pending, retried = runs_settled(superuser_url, started_at)
    replica_reads = replica_transactions(net, database) - replica_before

    rows = table(log, phases)
    text = print_table(
        f"Load through the balancer: {args.workers} workers, {args.coordinators} coordinators, {args.public} public",
        ["window", "seconds", "requests", "errors", "of which 503", "answered/s", "p95 ms"],
        rows,
    )
    contact_keys = sorted(k for k in set(acknowledged) | set(found) if k.startswith("contact:"))
    writes = [
        [
            "contacts logged",
            str(sum(acknowledged.get(k, 0) for k in contact_keys)),
            str(sum(found.get(k, 0) for k in contact_keys)),
        ],
        ["public registrations", str(acknowledged.get("registration", 0)), str(found.get("registration", 0))],
        ["matching runs queued", str(acknowledged.get("matching", 0)), str(found.get("matching", 0))],
    ]
    text += "\n\n" + print_table("Writes", ["write", "acknowledged", "found in the database"], writes)
    text += (
        f"\n\nThe balancer noticed the stopped host after {noticed_s:.1f} s; the host was back in {back_s:.1f} s;"
        f"\nthe primary was down {up_again - stopped:.1f} s;"
        f" both hosts were ready again {recovered_s:.1f} s after it started."
    )
    print(text.rsplit("\n\n", 1)[-1], flush=True)

    def same(key: str) -> bool:
        return acknowledged.get(key, 0) == found.get(key, 0)

    def errors_in(name: str) -> int:
        return int(next(row for row in rows if row[0] == name)[3])

    def non_503_in(name: str) -> int:
        row = next(row for row in rows if row[0] == name)
        return int(row[3]) - int(row[4])

    checks += [
        ("every load user signed in", load.signed_in == args.workers + args.coordinators),
        ("no request failed with two hosts", errors_in("two application hosts") == 0),
        ("no request failed once the balancer noticed the stopped host",
         errors_in("one application host (after it noticed)") == 0),
        ("only clean 503s while the primary was down or starting",
         non_503_in("primary down and restarting") + non_503_in("primary back, until both hosts ready") == 0),
        ("no request failed flat out, with two hosts or with one",
         errors_in("two hosts, flat out") + errors_in("one host, flat out") == 0),
        ("no request failed after the database recovered", errors_in("after the restart (both hosts)") == 0),
        ("every acknowledged contact found once, per worker", all(same(k) for k in contact_keys)),
        ("every acknowledged registration found once", same("registration")),
        ("every queued matching run found once", same("matching") and found.get("matching", 0) > 0),
        (f"every matching run done ({done} of {runs}; {retried} started again after their worker died)",
         done == runs),
        ("writes were made", sum(acknowledged.values()) > 0),
        (f"the dashboards read from the replica ({replica_reads} transactions there)", replica_reads > 0),
    ]  # fmt: skip
    lines = [f"{'ok' if passed else 'WRONG'}: {statement}" for statement, passed in checks]
    print("\n" + "\n".join(lines), flush=True)
    text += "\n\n" + "\n".join(lines)
    if args.report:
        args.report.write_text(text + "\n")
    if not all(passed for _statement, passed in checks):
        raise SystemExit(1)
    print("\nmultihost: PASS")


def psycopg_connect(url: str) -> Any:
    import psycopg

    return psycopg.connect(url, autocommit=True)


if __name__ == "__main__":
    main()
