"""What must hold across server processes and hosts lives in Redis or the database, never in one process.

Throttles and lockouts are counted in the ``default`` cache (Redis with ``REDIS_URL``, else the
database's cache table); sessions are kept in the database (read through that cache); idempotency
keys are rows. Only what may differ per process stays in its memory: drawn fragments that are the
same for everyone and pages kept for one session (docs/beheer/schalen.md).
"""

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

PRODUCTION = {"DEMO_MODE": "1", "VEERKRACHT_TESTING": "0", "DJANGO_SETTINGS_MODULE": "veerkracht.settings"}


def _python(code: str, **env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if k not in ("VEERKRACHT_TESTING", "REDIS_URL")}
    run = subprocess.run(  # noqa: S603 - our own interpreter, fixed code
        [sys.executable, "-c", "import django; django.setup()\n" + code],
        env={**clean, **PRODUCTION, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return run.stdout.strip()


SHARED = """
from django.conf import settings
from veerkracht.core.models import IdempotencyRecord
print(settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1], settings.SESSION_ENGINE.rsplit(".", 1)[-1],
      IdempotencyRecord._meta.db_table)
"""


def test_shared_state_is_in_redis_or_the_database() -> None:
    assert _python(SHARED, REDIS_URL="redis://127.0.0.1:6399/0") == "RedisCache cached_db core_idempotencyrecord"
    assert _python(SHARED) == "DatabaseCache cached_db core_idempotencyrecord"


@pytest.fixture
def redis_url() -> Iterator[str]:
    pytest.importorskip("redis")  # the client, a dependency of the project's since several servers share Redis
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    binary = shutil.which("redis-server") or "redis-server"
    server = subprocess.Popen(  # noqa: S603 - a scratch Redis of this test's own
        [binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    try:
        for _ in range(50):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_failed_sign_ins_in_separate_processes_add_up_to_one_lockout(redis_url: str) -> None:
    """Each process stands for a server on another host: the count is theirs together."""
    fail = "from veerkracht.core import throttle; throttle.note_failure('Anna', '{ip}')"
    ask = "from veerkracht.core import throttle; print(throttle.too_many_failures('anna', '192.0.2.9'))"
    env = {"REDIS_URL": redis_url, "LOGIN_FAILURE_LIMIT": "3"}
    assert _python(ask, **env) == "False"
    for ip in ("192.0.2.1", "192.0.2.2", "192.0.2.3"):  # three hosts, three addresses: one account
        _python(fail.format(ip=ip), **env)
    assert _python(ask, **env) == "True"
    assert _python(ask, REDIS_URL=redis_url, LOGIN_FAILURE_LIMIT="4") == "False"
