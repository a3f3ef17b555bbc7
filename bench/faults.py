"""PostgreSQL restarted under a light stream of requests: clean 503s, nothing half-written, resumed.

Starts the production server (``veerkracht serve``, gunicorn) on 127.0.0.1 against a scratch
database, signs in a professional, and sends page views (session) and contact writes (API, each
with its own ``Idempotency-Key`` and two residents). Mid-way it restarts the machine's PostgreSQL
cluster. A write that got no final answer is sent again with the same key after ``Retry-After``.

Afterwards it prints, for the requests started before, during and after the restart: their number,
status codes, any 5xx other than 503, any traceback in a body; whether the server answered again
without being restarted; and, from the database, that every write is there once with both its
residents or not at all.

It restarts the shared PostgreSQL: run it only when nothing else uses it (it refuses while a
pytest runs, unless ``--force``). Not part of ``make test``; ``make faults`` runs it.
"""

import argparse
import http.cookiejar
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from common import VEERKRACHT, postgres_available, postgres_database, print_table, veerkracht

DATABASE = "vk_bench_faults"
PASSWORD = "bench-password-long-enough"  # noqa: S105 - a throw-away account in a throw-away database
RESIDENTS = 20
TRACEBACK = re.compile(r"Traceback \(most recent call last\)|File \"/")
SEED = f"""
from veerkracht.core.models import District, Neighbourhood, Organisation, Team, User
from veerkracht.core.roles import JobTitle, Role
from veerkracht.people.models import Building, Household, Resident
org = Organisation.objects.create(name="Bench", slug="bench", city="Veerstad")
district = District.objects.create(organisation=org, code="WK000001", name="Wijk")
hood = Neighbourhood.objects.create(organisation=org, district=district, code="BU00000001", name="Buurt",
                                   affluence="middle")
pro = User.objects.create_user("bench-pro", password="{PASSWORD}", organisation=org, role=Role.PROFESSIONAL,
                               job_title=JobTitle.BUURTCOACH, first_name="Bench", last_name="Pro")
team = Team.objects.create(organisation=org, name="Team")
team.neighbourhoods.set([hood]); team.members.set([pro])
for n in range({RESIDENTS}):
    b = Building.objects.create(organisation=org, neighbourhood=hood, kind="house", street="Lindelaan",
                                house_number=n + 1, postcode="1234 AB", city="Veerstad", x=125000.0, y=485000.0)
    h = Household.objects.create(organisation=org, neighbourhood=hood, building=b, street=b.street,
                                 house_number=b.house_number, postcode=b.postcode, city=b.city, x=b.x, y=b.y)
    Resident.objects.create(organisation=org, neighbourhood=hood, household=h, first_name="Bewoner",
                            last_name=str(n), birth_year=1950)
"""


@dataclass
class Answer:
    started: float
    kind: str  # "page" or "write"
    status: int  # 0: no answer at all (connection refused or reset)
    traceback: bool
    retry_after: str = ""


@dataclass
class Write:
    key: str
    resident_ids: list[int]
    answers: list[int] = field(default_factory=list)


class Client:
    """A signed-in professional: a session for pages, a bearer token for the API."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))
        self.token = ""

    def request(
        self, path: str, data: bytes | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, str, dict[str, str]]:
        request = urllib.request.Request(self.base + path, data=data, headers=headers or {})  # noqa: S310 - our server
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode(errors="replace"), dict(response.headers)
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace"), dict(error.headers)
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return 0, "", {}

    def sign_in(self) -> None:
        self.request("/inloggen/")
        csrf = next(cookie.value for cookie in self.cookies if cookie.name == "csrftoken")
        form = urllib.parse.urlencode({"username": "bench-pro", "password": PASSWORD, "csrfmiddlewaretoken": csrf})
        self.request("/inloggen/", form.encode())
        if self.request("/bewoners/")[0] != 200:
            raise SystemExit("signing in failed")
        body = json.dumps({"username": "bench-pro", "password": PASSWORD}).encode()
        _status, answer, _headers = self.request("/api/v1/auth/token", body, {"Content-Type": "application/json"})
        self.token = json.loads(answer)["token"]

    def write(self, write: Write) -> tuple[int, str, dict[str, str]]:
        body = {
            "resident_ids": write.resident_ids,
            "channel": "phone",
            "duration_minutes": 5,
            "started_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "note": f"bench {write.key}",
        }
        headers = {
            "Content-Type": "application/json",
            "Authorization": f"Bearer {self.token}",
            "Idempotency-Key": write.key,
        }
        return self.request("/api/v1/contacts", json.dumps(body).encode(), headers)


def _wait_for(base: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=10):  # noqa: S310 - our server
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    raise SystemExit("the server did not start")


@contextmanager
def server(url: str, port: int) -> Iterator[str]:
    """``veerkracht serve`` with production settings over plain HTTP (DEMO_MODE), without the task worker."""
    env = _env(url)
    process = subprocess.Popen(  # noqa: S603
        [VEERKRACHT, "serve", "--port", str(port), "--workers", "2", "--no-task-worker"],
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=open(Path(env["VEERKRACHT_VAR_DIR"]) / "server.log", "w"),  # noqa: SIM115 - lives as long as the server
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(base, 60)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


_VAR = tempfile.mkdtemp(prefix="vk-faults-")


def _env(url: str) -> dict[str, str]:
    return {
        "DATABASE_URL": url,
        "DEBUG": "0",
        "DEMO_MODE": "1",
        "VEERKRACHT_TESTING": "0",
        "SECRET_KEY": "bench-secret-key",
        "TWO_FACTOR_REQUIRED": "0",
        "VEERKRACHT_VAR_DIR": _VAR,
    }


def _restart_postgres() -> tuple[float, float]:
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    start = time.monotonic()
    subprocess.run(  # noqa: S603
        ["/usr/bin/pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"], check=True
    )
    return start, time.monotonic()


def _stream(client: Client, stop: threading.Event, answers: list[Answer], writes: list[Write], ids: list[int]) -> None:
    """Alternate page views and new writes, every 100 ms; send unfinished writes again with their key."""
    pages = ["/bewoners/", "/werklijsten/uit-beeld/", "/"]
    pending: list[Write] = []
    n = 0
    while not stop.is_set():
        n += 1
        started = time.monotonic()
        if n % 2:
            status, body, headers = client.request(pages[n // 2 % len(pages)])
            answers.append(
                Answer(started, "page", status, bool(TRACEBACK.search(body)), headers.get("Retry-After", ""))
            )
        else:
            write = (
                pending.pop(0) if pending else Write(str(uuid.uuid4()), [ids[n % len(ids)], ids[(n + 1) % len(ids)]])
            )
            if not write.answers:
                writes.append(write)
            status, body, headers = client.write(write)
            write.answers.append(status)
            answers.append(
                Answer(started, "write", status, bool(TRACEBACK.search(body)), headers.get("Retry-After", ""))
            )
            if status not in (200, 201):
                pending.append(write)  # no final answer: the client tries again with the same key
        time.sleep(0.1)


def _phase(answer: Answer, restart: tuple[float, float]) -> str:
    if answer.started < restart[0]:
        return "before"
    return "during" if answer.started <= restart[1] else "after"


def _report(answers: list[Answer], restart: tuple[float, float]) -> bool:
    rows, clean = [], True
    for phase in ("before", "during", "after"):
        mine = [a for a in answers if _phase(a, restart) == phase]
        codes = Counter(a.status for a in mine)
        bad_5xx = sum(n for code, n in codes.items() if code >= 500 and code != 503)
        tracebacks = sum(a.traceback for a in mine)
        no_retry_after = sum(1 for a in mine if a.status == 503 and not a.retry_after)
        clean &= bad_5xx == 0 and tracebacks == 0 and no_retry_after == 0
        rows.append(
            [
                phase,
                len(mine),
                " ".join(f"{c}:{n}" for c, n in sorted(codes.items())),
                bad_5xx,
                tracebacks,
                no_retry_after,
            ]
        )
    print_table(
        f"Requests around a PostgreSQL restart ({restart[1] - restart[0]:.1f} s)",
        ["phase", "requests", "status:count", "5xx not 503", "tracebacks", "503 w/o Retry-After"],
        rows,
    )
    return clean


def _resumed(answers: list[Answer], restart: tuple[float, float]) -> tuple[bool, float | None]:
    after = [a for a in answers if a.started > restart[1]]
    first_ok = next((a.started - restart[1] for a in after if 200 <= a.status < 400), None)
    tail = after[-10:]
    return bool(tail) and all(200 <= a.status < 400 for a in tail), first_ok


def _half_written(url: str, writes: list[Write]) -> tuple[int, int, int, int]:
    """(writes, present once with both residents, absent, broken).

    Broken: saved twice, saved without both residents, or answered 201 and not saved.
    """
    with psycopg.connect(url) as connection:
        rows = connection.execute(
            "SELECT c.note, count(cr.id) FROM contacts_contact c "
            "LEFT JOIN contacts_contactresident cr ON cr.contact_id = c.id GROUP BY c.id"
        ).fetchall()
    per_key: dict[str, list[int]] = {}
    for note, residents in rows:
        per_key.setdefault(note.removeprefix("bench "), []).append(residents)
    whole = sum(1 for w in writes if per_key.get(w.key) == [2])
    absent = [w for w in writes if w.key not in per_key]
    acknowledged_missing = sum(1 for w in absent if 201 in w.answers)
    return len(writes), whole, len(absent), len(writes) - whole - len(absent) + acknowledged_missing


def _refuse_if_busy(force: bool) -> None:
    busy = subprocess.run(["pgrep", "-af", "pytest"], capture_output=True, text=True).stdout.strip()  # noqa: S607
    if busy and not force:
        raise SystemExit(f"a pytest is running (it may use PostgreSQL); not restarting it:\n{busy}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--before", type=float, default=8.0, help="seconds of requests before the restart")
    parser.add_argument("--after", type=float, default=12.0, help="seconds of requests after the restart")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--force", action="store_true", help="restart PostgreSQL even while a pytest runs")
    options = parser.parse_args()
    _refuse_if_busy(options.force)
    if not postgres_available():
        raise SystemExit("PostgreSQL at 127.0.0.1:5432 is not available")
    with postgres_database(DATABASE) as url:
        veerkracht("migrate", "--no-input", env=_env(url))
        veerkracht("createcachetable", env=_env(url))
        veerkracht("collectstatic", "--no-input", env=_env(url))  # production serves hashed file names
        veerkracht("shell", "--no-imports", "-c", SEED, env=_env(url))
        with psycopg.connect(url) as connection:
            ids = [row[0] for row in connection.execute("SELECT id FROM people_resident ORDER BY id")]
        with server(url, options.port) as base:
            client = Client(base)
            client.sign_in()
            answers: list[Answer] = []
            writes: list[Write] = []
            stop = threading.Event()
            worker = threading.Thread(target=_stream, args=(client, stop, answers, writes, ids))
            worker.start()
            time.sleep(options.before)
            restart = _restart_postgres()
            time.sleep(options.after)
            stop.set()
            worker.join()
            clean = _report(answers, restart)
            resumed, first_ok = _resumed(answers, restart)
        total, whole, absent, broken = _half_written(url, writes)
    print_table(
        "Outcome",
        ["clean failures", "resumed without restart", "first success after (s)", "writes", "whole", "absent", "broken"],
        [[_yes(clean), _yes(resumed), "-" if first_ok is None else round(first_ok, 2), total, whole, absent, broken]],
    )
    sys.exit(0 if clean and resumed and broken == 0 else 1)


def _yes(value: bool) -> str:
    return "yes" if value else "NO"


if __name__ == "__main__":
    main()
