"""Load: 200 signed-in users against the production server on PostgreSQL for 2 minutes.

The target: zero errors and a p95 under 300 ms for page views and writes on a 2-core machine, in
two scenarios (``--scenario``):

- ``realistic`` (the default): 200 staff signed in (workers logging contacts and opening residents
  and the out-of-sight worklist, coordinators opening dashboards), each waiting 5-15 s between
  actions, as people do between calls and visits; when the measured window opens, a burst of 200
  members of the public (``--burst``) each open an activity and register with name and phone, all
  arriving within a minute (``--burst-seconds``: as after a newsletter or a post on the
  neighbourhood's app group; ``0`` sends them at the same instant, which measures how fast the
  server drains a queue rather than what a visitor waits);
- ``stress``: the older, harder mix: workers, residents with an account registering and
  cancelling, coordinators, each waiting only 1-3 s. ``--sweep 100 200 300`` runs it at each
  number of users on one server and prints the request rate beside the p95, to find the highest
  rate that still holds the target (``--workers`` sets the server processes: 2 and 4 are one and
  two per core here).

The script builds a scratch PostgreSQL database the way CI does (``load_city.py``: a login role
that is not a superuser owns the tables, so row-level security binds it once a request sets its
organisation; ``--app-role`` serves as a second role that is neither superuser nor owner, the
production set-up of docs/adr/0012), loads the demo city, adds the load users (workers and
coordinators with a TOTP device, residents with an account linked to their record), starts
``veerkracht serve`` on a free port with production settings (demo mode for plain HTTP, two-factor
sign-in switched on), signs every user in (password, then the code from their device), and runs
the mix with locust as a library. Sign-in happens during the ramp-up and is reported apart: the
measured window starts once every user is in. Static files are not fetched (a browser caches
them for a year).

Quick check: ``--users 40 --duration 30 --residents 5000``. ``--database NAME --keep`` keeps the
database for a next run with ``--reuse``. ``--smoke`` (the suite's, on PostgreSQL): 6 users for 5 s
on a city of 300 residents, as the maintenance connection's own role (CREATEDB is enough: no roles
are created, so ``--app-role`` is not available); a request that fails is a wrong answer, a p95
over the target is not.
"""

# locust patches the standard library for gevent on import: it comes before anything that opens sockets.
from locust import FastHttpUser, between, constant, events, task  # noqa: I001
from locust.exception import StopUser
from locust.env import Environment

import argparse
import itertools
import json
import os
import random
import re
import signal
import socket
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, ClassVar

import gevent
import gevent.event
from common import (
    VEERKRACHT,
    add_options,
    check,
    database_name,
    finish,
    print_table,
    start_report,
)
from django_otp.oath import totp
from load_city import (
    MIX,
    APP,
    OWNER,
    RESIDENTS,
    SERVER_ENV,
    SINGLE_ROLE,
    SMOKE_RESIDENTS,
    SMOKE_USERS,
    USERS,
    admin,
    admin_on,
    build,
    url_for,
    user_counts,
)

TARGET_P95_MS = 300.0
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# Per scenario: the share of each kind of signed-in user and the seconds each waits between actions.
SCENARIOS: dict[str, tuple[dict[str, float], tuple[float, float]]] = {
    "realistic": ({"worker": 0.85, "resident": 0.0, "coordinator": 0.15}, (5, 15)),
    "stress": (MIX, (1, 3)),
}


# --- the scenario -----------------------------------------------------------------------------

CREDENTIALS: dict[str, list[dict[str, Any]]] = {"worker": [], "resident": [], "coordinator": []}
PASSWORD = ""
SIGNED_IN: list[str] = []  # usernames, once their sign-in finished
CHOICE = random.Random(11)  # noqa: S311 - which resident or activity to open, not a secret
ACTIVITIES: list[int] = []  # open for registration, with a place: the public registers for these
BURST = gevent.event.Event()  # set when the measured window opens: the public starts coming in
BURST_SECONDS = {"spread": 60.0}  # each visitor arrives at a random moment within this many seconds
ARRIVAL = random.Random(17)  # noqa: S311 - when a visitor arrives, not a secret
# A form's own messages (its summary and each field's), to say why a post was refused.
ALERT = re.compile(r'class="(?:utrecht-alert__message[^"]*|utrecht-form-field-error-message)"[^>]*>([^<]+)<')
MODE = re.compile(r'name="mode" value="([^"]+)"')
# A name and phone of one's own (a person registers once per activity), new in every run on a kept database.
VISITOR_NUMBERS = itertools.count(int(time.time()) % 9_000_000 * 10)  # eight digits after 06


def _csrf(html: str) -> str:
    match = CSRF.search(html)
    return match.group(1) if match else ""


class Browsing(FastHttpUser):
    """Every step is one request, as a person clicks: a form is filled in (a wait) between the page
    and its post. A redirect after a post is followed at once, as a browser does."""

    abstract = True

    def _post(self, path: str, data: dict[str, str], *, name: str, htmx: bool = False) -> str:
        """A form post that must answer with a redirect (200 for htmx); returns the Location."""
        data = {**data, "idempotency_key": uuid.uuid4().hex}  # a fresh form each time, as a browser draws it
        headers = {"HX-Request": "true"} if htmx else {}
        with self.client.post(
            path, data=data, name=name, headers=headers, allow_redirects=False, catch_response=True
        ) as response:
            location = str((response.headers or {}).get("Location") or "")
            if response.status_code != (200 if htmx else 302) or location.startswith("/inloggen/?"):
                said = " ".join(ALERT.findall(str(response.text or "")))  # the form's own message, if it drew one
                response.failure(f"{response.status_code} {re.sub(r'[0-9]+', 'N', location)} {said}".strip())
            return location

    def _get(self, path: str, *, name: str) -> str:
        with self.client.get(path, name=name, allow_redirects=False, catch_response=True) as response:
            if response.status_code != 200:  # a redirect here would be a sign-in page: a silent failure
                location = re.sub(r"[0-9]+", "N", str((response.headers or {}).get("Location") or ""))
                response.failure(f"{response.status_code} {location}")
            return str(response.text or "")


class SignedIn(Browsing):
    """A user who signs in once (password, then a TOTP code when they have a device)."""

    abstract = True
    wait_time = between(1, 3)  # the scenario's (set_wait)
    kind: ClassVar[str] = ""
    account: dict[str, Any]

    def on_start(self) -> None:
        self.account = CREDENTIALS[self.kind].pop()
        form = self._get("/inloggen/", name="sign in: form")
        data = {"username": self.account["username"], "password": PASSWORD, "csrfmiddlewaretoken": _csrf(form)}
        self._post("/inloggen/", data, name="sign in: password")
        for attempt in range(3 if self.account["key"] else 0):
            # As a person does when the code is refused (on a queueing server it can expire on its
            # way, and django-otp then holds the device back for a moment): wait for the app's next
            # code and type that one. Sign-in is not measured.
            if attempt:
                gevent.sleep(31 - time.time() % 30)
            form = self._get("/inloggen/code/", name="sign in: code form")
            code = f"{totp(bytes.fromhex(self.account['key'])):06d}"
            data = {"code": code, "csrfmiddlewaretoken": _csrf(form)}
            location = self._post("/inloggen/code/", data, name="sign in: code")
            if location and not location.startswith("/inloggen/"):  # refused: the form drawn again (200)
                break
        SIGNED_IN.append(self.account["username"])


class Worker(SignedIn):
    """A social worker in the field: the out-of-sight worklist, a resident's page, a contact logged."""

    kind = "worker"

    @task(1)
    def worklist(self) -> None:
        self._get("/werklijsten/uit-beeld/", name="worker: out-of-sight worklist")

    @task(1)
    def resident(self) -> None:
        self._get(f"/bewoners/{CHOICE.choice(self.account['residents'])}/", name="worker: resident page")

    @task(2)
    def log_contact(self) -> None:
        resident = CHOICE.choice(self.account["residents"])
        page = self._get(f"/bewoners/{resident}/", name="worker: resident page")
        self.wait()  # type: ignore[no-untyped-call]
        data = {"channel": CHOICE.choice(["phone", "home_visit", "porch_talk"]), "duration_minutes": "15"}
        data |= {"reached": "1", "initiative": "worker", "csrfmiddlewaretoken": _csrf(page)}
        self._post(f"/bewoners/{resident}/contact/", data, name="worker: log contact (htmx)", htmx=True)


class Resident(SignedIn):
    """A resident with an account: the programme, an activity, register and (later) cancel."""

    kind = "resident"
    registrations: list[str]

    def on_start(self) -> None:
        super().on_start()
        self.registrations = []

    @task(1)
    def programme(self) -> None:
        self._get("/activiteiten/", name="resident: programme")

    @task(2)
    def register(self) -> None:
        activity = CHOICE.choice(self.account["activities"])
        page = self._get(f"/activiteiten/{activity}/", name="resident: activity page")
        self.wait()  # type: ignore[no-untyped-call]
        data = {"self": "1", "csrfmiddlewaretoken": _csrf(page)}
        location = self._post(f"/activiteiten/{activity}/", data, name="resident: register")
        if location.startswith("/aanmelding/"):
            self._get(location, name="resident: own registration")
            self.registrations.append(location)

    @task(1)
    def cancel(self) -> None:
        if not self.registrations:
            return
        location = self.registrations.pop(0)
        page = self._get(location, name="resident: own registration")
        self.wait()  # type: ignore[no-untyped-call]
        self._post(location, {"csrfmiddlewaretoken": _csrf(page)}, name="resident: cancel")
        self._get(location, name="resident: own registration")


class Coordinator(SignedIn):
    """A coordinator: the dashboards and the start page."""

    kind = "coordinator"

    @task(3)
    def dashboard(self) -> None:
        self._get("/inzicht/", name="coordinator: dashboard")

    @task(1)
    def home(self) -> None:
        self._get("/", name="coordinator: start page")


class Visitor(Browsing):
    """A member of the public, once: when the burst comes, opens an activity and registers for it
    with name and phone (no account), then sees the registration's own page."""

    kind = "visitor"
    wait_time = constant(0)

    @task
    def register(self) -> None:
        BURST.wait()
        gevent.sleep(ARRIVAL.uniform(0, BURST_SECONDS["spread"]))
        activity = CHOICE.choice(ACTIVITIES)
        page = self._get(f"/activiteiten/{activity}/", name="public: activity page")
        mode = MODE.search(page)
        number = next(VISITOR_NUMBERS)
        data = {"name": f"Bezoeker {number}", "phone": f"06{number:08d}", "consent": "on"}
        data |= {"mode": mode.group(1) if mode else "onsite", "csrfmiddlewaretoken": _csrf(page)}
        location = self._post(f"/activiteiten/{activity}/", data, name="public: register")
        if location.startswith("/aanmelding/"):
            self._get(location, name="public: own registration")
        raise StopUser


# --- the set-up -----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _fresh_start(database: str) -> None:
    """No sign-in throttling, used codes or clock drift left from an earlier run on a kept database:
    a run whose server queued for half a minute walks a device's drift (django-otp's, kept per device)
    until the app's current code no longer matches."""
    admin_on(database, "TRUNCATE veerkracht_cache")
    admin_on(
        database,
        "UPDATE accounts_authenticatorapp"
        " SET last_t = -1, drift = 0, throttling_failure_count = 0, throttling_failure_timestamp = NULL",
    )


@contextmanager
def server(database: str, role: str, workers: int, threads: int, log_path: str) -> Iterator[str]:
    """``veerkracht serve`` connected as ``role`` on a free port; yields its base URL."""
    port = free_port()
    env = {**os.environ, **SERVER_ENV, "DATABASE_URL": url_for(role, database), "WEB_CONCURRENCY": str(workers)}
    env["WEB_THREADS"] = str(threads)
    command = [VEERKRACHT, "serve", "--port", str(port), "--no-task-worker"]
    with open(log_path, "w") as log:
        process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)  # noqa: S603
    try:
        _wait_for(f"http://127.0.0.1:{port}/healthz", process)
        yield f"http://127.0.0.1:{port}"
    finally:
        if process.poll() is None:  # a server that stopped by itself has no group left to stop
            os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def _wait_for(url: str, process: subprocess.Popen[bytes]) -> None:
    import urllib.request

    for _ in range(300):
        if process.poll() is not None:
            raise SystemExit(f"the server stopped (exit {process.returncode}); see its log")
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - our own server on 127.0.0.1
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the server did not answer within a minute")


def cpu_snapshot(port: str, database: str) -> dict[str, dict[int, float]]:
    """CPU seconds (user + system) so far per process: the server's (gunicorn) and its PostgreSQL backends'.

    Also the whole machine's idle time, and the time the hypervisor gave our virtual cores to
    someone else (steal): requests that queue while cores sit idle wait on something else than CPU.
    """
    import psutil

    machine = psutil.cpu_times()
    snapshot: dict[str, dict[int, float]] = {"server": {}, "postgres": {}, "locust": {}}
    snapshot |= {"idle": {0: machine.idle}, "steal": {0: getattr(machine, "steal", 0.0)}}
    for process in psutil.process_iter(["name", "cmdline"]):
        cmdline = " ".join(process.info["cmdline"] or [])
        kind = "server" if "gunicorn" in cmdline and f":{port}" in cmdline else ""
        kind = kind or ("postgres" if cmdline.startswith("postgres:") and f" {database} " in cmdline else "")
        kind = kind or ("locust" if process.pid == os.getpid() else "")
        if kind:
            try:
                times = process.cpu_times()
            except psutil.Error:
                continue
            snapshot[kind][process.pid] = times.user + times.system
    return snapshot


def cpu_used(before: dict[str, dict[int, float]], after: dict[str, dict[int, float]], kind: str) -> float:
    """CPU seconds between two snapshots (a process that ended in between is not counted)."""
    return sum(seconds - before[kind].get(pid, 0.0) for pid, seconds in after[kind].items())


# --- the run ----------------------------------------------------------------------------------


def run(
    base_url: str,
    counts: dict[str, int],
    burst: int,
    options: argparse.Namespace,
    cpu: Callable[[], dict[str, dict[int, float]]],
) -> tuple[Environment, float, tuple[float, ...]]:
    """Sign everyone in during the ramp-up, reset the figures, then measure for ``options.duration`` seconds.

    The burst's visitors are started with the others but wait until the measured window opens.
    Also returns the CPU seconds spent in the measured window by the server, PostgreSQL and the
    load generator, and the machine's idle and stolen seconds (summed over its cores).
    """
    SIGNED_IN.clear()
    BURST.clear()
    classes = [Worker, Resident, Coordinator]
    for user_class in classes:
        user_class.fixed_count = counts[user_class.kind]
    Visitor.fixed_count = burst
    signed_in_users = sum(counts.values())
    environment = Environment(user_classes=[*classes, Visitor], host=base_url, events=events)
    runner = environment.create_local_runner()
    runner.start(signed_in_users + burst, spawn_rate=options.spawn_rate)
    deadline = time.monotonic() + 60 + (signed_in_users + burst) / options.spawn_rate * 3
    while len(SIGNED_IN) < signed_in_users and time.monotonic() < deadline:
        gevent.sleep(0.5)
    sign_in = {name: entry for (name, _method), entry in environment.stats.entries.items() if name.startswith("sign")}
    print_stats("Sign-in during the ramp-up (not part of the target)", sign_in.values())
    environment.stats.reset_all()
    started, cpu_before = time.perf_counter(), cpu()
    BURST.set()
    gevent.sleep(options.duration)
    cpu_after, seconds = cpu(), time.perf_counter() - started
    runner.quit()
    kinds = ("server", "postgres", "locust", "idle", "steal")
    return environment, seconds, tuple(cpu_used(cpu_before, cpu_after, kind) for kind in kinds)


def measured(environment: Environment) -> list[Any]:
    return [entry for entry in environment.stats.entries.values() if not entry.name.startswith("sign in")]


def p95(entry: Any) -> float:
    return float(entry.get_response_time_percentile(0.95) or 0.0)


def print_stats(title: str, entries: Any) -> list[bool]:
    rows, verdicts = [], []
    for entry in sorted(entries, key=lambda e: e.name):
        p95 = entry.get_response_time_percentile(0.95) or 0.0
        ok = entry.num_failures == 0 and p95 < TARGET_P95_MS
        verdicts.append(ok)
        rows.append(
            [
                entry.name,
                entry.num_requests,
                entry.num_failures,
                entry.median_response_time or 0,
                p95,
                entry.get_response_time_percentile(0.99) or 0,
                "PASS" if ok else "FAIL",
            ]
        )
    print_table(title, ["request", "count", "errors", "median ms", "p95 ms", "p99 ms", "verdict"], rows)
    return verdicts


def options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scenario", choices=sorted(SCENARIOS), default="realistic")
    parser.add_argument("--users", type=int, default=USERS, help="signed-in users")
    parser.add_argument("--burst", type=int, default=200, help="public registrations when the window opens (realistic)")
    parser.add_argument(
        "--burst-seconds", type=float, default=60, help="the burst arrives within this many seconds (0: at once)"
    )
    parser.add_argument("--sweep", type=int, nargs="+", default=[], metavar="USERS", help="stress: one run per size")
    parser.add_argument("--duration", type=float, default=120, help="seconds measured after the ramp-up")
    parser.add_argument("--spawn-rate", type=float, default=10, help="users started per second")
    parser.add_argument("--residents", type=int, default=RESIDENTS, help="size of the demo city")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    parser.add_argument("--database", default="vk_bench_load")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards (for --reuse)")
    parser.add_argument("--reuse", action="store_true", help="reuse a kept database and its users")
    parser.add_argument(
        "--app-role",
        action="store_true",
        help="serve as a role that is neither superuser nor owner of the tables (production's set-up, ADR 12)",
    )
    add_options(parser)
    args = parser.parse_args()
    if args.sweep and args.scenario != "stress":
        parser.error("--sweep runs the stress scenario: add --scenario stress")
    if args.scenario == "realistic" and args.burst and args.burst_seconds >= args.duration and not args.smoke:
        parser.error("--burst-seconds must be shorter than --duration: the whole burst is measured")
    if args.smoke:
        if args.app_role:
            parser.error("--smoke creates no roles: --app-role is not available")
        args.users, args.burst, args.duration, args.spawn_rate = SMOKE_USERS, SMOKE_USERS, 5.0, 12.0
        args.burst_seconds = 1.0
        args.residents = SMOKE_RESIDENTS
        args.workers, args.threads, args.database = 1, 2, database_name("vk_bench_load_smoke")
        args.sweep = [3, 6] if args.sweep else []
        SINGLE_ROLE["on"] = True
    return args


def users_to_make(args: argparse.Namespace) -> dict[str, int]:
    """Enough users of each kind for either scenario at the largest size asked, so a kept database serves both."""
    largest = max([args.users, *args.sweep])
    kinds = ("worker", "resident", "coordinator")
    return {kind: max(round(largest * mix[kind]) for mix, _wait in SCENARIOS.values()) for kind in kinds}


def sign_in_as(made: dict[str, Any], counts: dict[str, int]) -> None:
    for kind, accounts in CREDENTIALS.items():
        accounts[:] = [account for account in made["users"] if account["role"] == kind][: counts[kind]]


def cpu_line(seconds: float, requests: int, cpu: tuple[float, ...]) -> str:
    server_cpu, pg, generator, idle, steal = cpu
    per_request = 1000 / max(1, requests)
    return (
        f"CPU per request: server {server_cpu * per_request:.1f} ms, PostgreSQL {pg * per_request:.1f} ms, "
        f"locust {generator * per_request:.1f} ms; cores used: server {server_cpu / seconds:.2f}, "
        f"PostgreSQL {pg / seconds:.2f}, locust {generator / seconds:.2f}; machine: idle {idle / seconds:.2f} "
        f"cores, stolen by the hypervisor {steal / seconds:.2f}"
    )


def one_run(base_url: str, made: dict[str, Any], args: argparse.Namespace, cpu_now: Any) -> bool:
    mix, wait = SCENARIOS[args.scenario]
    counts = user_counts(mix, args.users)
    sign_in_as(made, counts)
    burst = args.burst if args.scenario == "realistic" else 0
    environment, seconds, cpu = run(base_url, counts, burst, args, cpu_now)
    total = environment.stats.total
    spread = f"within {args.burst_seconds:.0f} s" if args.burst_seconds else "at once"
    public = f", then {burst} public registrations {spread}" if burst else ""
    verdicts = print_stats(
        f"{sum(counts.values())} signed-in users, {wait[0]:.0f}-{wait[1]:.0f} s between actions{public}; "
        f"{seconds:.0f} s measured (target: p95 < {TARGET_P95_MS:.0f} ms, no errors)",
        measured(environment),
    )
    print(
        f"\n{total.num_requests} requests ({total.num_requests / seconds:.1f}/s), {total.num_failures} errors; "
        f"all requests: median {total.median_response_time} ms, p95 {p95(total):.0f} ms"
    )
    print(cpu_line(seconds, total.num_requests, cpu))
    for error in environment.stats.errors.values():
        print(f"  error: {error.method} {error.name}: {error.error} ({error.occurrences}x)")
    check(f"every user signed in ({len(SIGNED_IN)} of {sum(counts.values())})", len(SIGNED_IN) == sum(counts.values()))
    check(f"requests were made ({total.num_requests})", total.num_requests > 0)
    check(f"no request failed ({total.num_failures} failed)", total.num_failures == 0)
    if burst:
        registered = environment.stats.get("public: register", "POST").num_requests
        check(f"the burst registered ({registered} of {burst})", registered == burst)
    return all(verdicts) and total.num_requests > 0


def sweep(base_url: str, made: dict[str, Any], args: argparse.Namespace, cpu_now: Any) -> bool:
    """The stress mix at each size on one server: the request rate beside the p95."""
    mix, wait = SCENARIOS["stress"]
    rows, verdicts = [], []
    for users in args.sweep:
        _fresh_start(args.database)  # the codes used in the previous run may be used again
        counts = user_counts(mix, users)
        sign_in_as(made, counts)
        environment, seconds, cpu = run(base_url, counts, 0, args, cpu_now)
        total = environment.stats.total
        ok = total.num_failures == 0 and p95(total) < TARGET_P95_MS
        verdicts.append(ok)
        server_ms = cpu[0] * 1000 / max(1, total.num_requests)
        rate = total.num_requests / seconds
        rows.append(
            [users, f"{rate:.1f}", total.num_failures, p95(total), f"{server_ms:.1f}", "PASS" if ok else "FAIL"]
        )
        check(f"requests were made at {users} users ({total.num_requests})", total.num_requests > 0)
    print_table(
        f"Stress ({wait[0]:.0f}-{wait[1]:.0f} s between actions), {args.workers} server processes x {args.threads} "
        f"threads, {args.duration:.0f} s per size",
        ["users", "requests/s", "errors", "p95 ms", "server CPU ms/request", "verdict"],
        rows,
    )
    holding = [float(row[1]) for row, ok in zip(rows, verdicts, strict=True) if ok]
    print(f"highest rate holding p95 < {TARGET_P95_MS:.0f} ms: {max(holding):.1f}/s" if holding else "no size held")
    return any(verdicts)


def main() -> None:
    args = options()
    start_report(args)
    SignedIn.wait_time = between(*SCENARIOS[args.scenario][1])  # type: ignore[method-assign]
    BURST_SECONDS["spread"] = args.burst_seconds

    global PASSWORD
    users_file = f"/tmp/{args.database}-users.json"  # noqa: S108 - the credentials of a scratch database
    if args.reuse:
        with open(users_file) as kept:
            made = json.load(kept)
    else:
        made = build(args.database, args.residents, users_to_make(args))
        with open(users_file, "w") as kept:
            json.dump(made, kept)
    PASSWORD = made["password"]
    ACTIVITIES[:] = made["activities"]
    _fresh_start(args.database)
    log_path = f"/tmp/{args.database}-server.log"  # noqa: S108
    try:
        role = APP if args.app_role else OWNER
        with server(args.database, role, args.workers, args.threads, log_path) as base_url:
            port = base_url.rsplit(":", 1)[-1]
            cpu_now = lambda: cpu_snapshot(port, args.database)  # noqa: E731
            held = sweep(base_url, made, args, cpu_now) if args.sweep else one_run(base_url, made, args, cpu_now)
        print(f"load average: {os.getloadavg()}; server log: {log_path}")
        print("PASS" if held else "FAIL")
    finally:
        if not args.keep:
            admin(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
    finish(held)


if __name__ == "__main__":
    main()
