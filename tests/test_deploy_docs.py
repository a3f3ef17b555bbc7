"""docs/beheer and deploy/ cannot drift from the code: every variable documented, the units valid."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
READERS = [
    re.compile(r'env_(?:str|bool|int|list|choice)\(\s*"([A-Z][A-Z0-9_]*)"'),
    re.compile(r'os\.environ\.get\(\s*"([A-Z][A-Z0-9_]*)"'),
    re.compile(r'os\.environ\[\s*"([A-Z][A-Z0-9_]*)"\s*\]'),
    re.compile(r'os\.getenv\(\s*"([A-Z][A-Z0-9_]*)"'),
]
NOT_SETTINGS = {"DJANGO_SETTINGS_MODULE"}  # set by Veerkracht itself, for Django


def _read_by_the_code() -> set[str]:
    names: set[str] = set()
    for path in (ROOT / "src" / "veerkracht").rglob("*.py"):
        text = path.read_text()
        for reader in READERS:
            names |= set(reader.findall(text))
    return names - NOT_SETTINGS


def _documented() -> dict[str, list[str]]:
    rows = {}
    for line in (ROOT / "docs" / "beheer" / "omgevingsvariabelen.md").read_text().splitlines():
        match = re.match(r"^\| `([A-Z][A-Z0-9_]*)` \|(.*)\|$", line)
        if match:
            rows[match[1]] = [cell.strip() for cell in match[2].split("|")]
    return rows


def test_every_variable_the_code_reads_is_in_the_reference_table_and_no_other():
    read, documented = _read_by_the_code(), set(_documented())
    assert read - documented == set(), "document these in docs/beheer/omgevingsvariabelen.md"
    assert documented - read == set(), "no longer read by the code: remove them from the table"


def test_every_row_has_a_meaning_a_default_and_an_example():
    for name, cells in _documented().items():
        assert len(cells) == 3, f"{name}: meaning, default and example"
        assert all(cells), f"{name}: meaning, default and example, each filled in"


def test_the_example_environment_file_uses_only_documented_variables():
    example = (ROOT / "deploy" / "veerkracht.env.example").read_text()
    used = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]*)=", example, re.MULTILINE))
    assert used
    assert used <= set(_documented())


def test_the_containerfile_sets_only_documented_variables():
    text = (ROOT / "Containerfile").read_text()
    block = re.search(r"^ENV (.*?)\n(?=\S)", text, re.MULTILINE | re.DOTALL)
    assert block
    used = set(re.findall(r"([A-Z][A-Z0-9_]*)=", block[1]))
    assert "VEERKRACHT_VAR_DIR" in used
    assert used <= set(_documented()) | {"PYTHONUNBUFFERED", "PYTHONDONTWRITEBYTECODE", "PATH"}


UNITS = sorted(path.name for path in (ROOT / "deploy").glob("veerkracht-*.*") if path.suffix in (".service", ".timer"))


def test_the_systemd_units_verify(tmp_path):
    """``systemd-analyze verify`` on the units as shipped, with the two paths that exist only on an
    installed server (the program and the environment file) pointed at this machine's equivalents."""
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed here (Debian: apt-get install systemd)")
    veerkracht = Path(sys.executable).with_name("veerkracht")
    environment = tmp_path / "veerkracht.env"
    environment.write_text("SECRET_KEY=x\n")
    for name in UNITS:
        text = (ROOT / "deploy" / name).read_text()
        text = text.replace("/opt/veerkracht/venv/bin/veerkracht", str(veerkracht))
        text = text.replace("/etc/veerkracht/veerkracht.env", str(environment))
        (tmp_path / name).write_text(text)
    result = subprocess.run(  # noqa: S603 (a fixed command)
        [analyze, "verify", *(str(tmp_path / name) for name in UNITS)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "veerkracht" not in result.stderr, result.stderr  # no warning about our units either


def test_the_units_run_the_commands_that_exist():
    from django.core.management import get_commands

    commands = get_commands()
    for name in UNITS:
        for command in re.findall(r"/opt/veerkracht/venv/bin/veerkracht (\w+)", (ROOT / "deploy" / name).read_text()):
            assert command in commands, f"{name} runs `veerkracht {command}`, which does not exist"


def test_the_documented_commands_exist():
    from django.core.management import get_commands

    commands = get_commands()
    for page in (ROOT / "docs" / "beheer").glob("*.md"):
        for command in re.findall(r"bin/veerkracht (\w+)", page.read_text()):
            assert command in commands, f"{page.name} documents `veerkracht {command}`, which does not exist"


def test_the_containerfile_runs_as_a_user_and_its_commands_exist():
    from django.core.management import get_commands

    text = (ROOT / "Containerfile").read_text()
    users = re.findall(r"^USER (\S+)", text, re.MULTILINE)
    assert users
    assert users[-1].split(":")[0] not in ("root", "0")
    assert 'ENTRYPOINT ["veerkracht"]' in text
    assert re.search(r'^CMD \["serve"', text, re.MULTILINE)
    assert "serve" in get_commands()
    for command in ("worker", "prepare", "backup"):
        assert command in get_commands()
        assert f"veerkracht {command}" in text  # each shown in the header


def test_the_nginx_configuration_is_valid(tmp_path):
    """``nginx -t`` on deploy/nginx.conf as shipped, with a throw-away certificate in place of certbot's."""
    nginx = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")
    if nginx is None:
        pytest.skip("nginx is not installed here (Debian: apt-get install nginx-light; .ci/run does)")
    certificate, key = tmp_path / "fullchain.pem", tmp_path / "privkey.pem"
    request = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
    subprocess.run(  # noqa: S603 (a fixed command)
        [*request, "-subj", "/CN=veerkracht.example.nl", "-keyout", str(key), "-out", str(certificate)],
        capture_output=True,
        check=True,
        timeout=60,
    )
    site = (ROOT / "deploy" / "nginx.conf").read_text()
    site = site.replace("/etc/letsencrypt/live/veerkracht.example.nl/fullchain.pem", str(certificate))
    site = site.replace("/etc/letsencrypt/live/veerkracht.example.nl/privkey.pem", str(key))
    site = site.replace("/var/log/nginx/", f"{tmp_path}/")
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n  access_log off;\n  include {tmp_path}/site.conf;\n}}\n"
    )
    result = subprocess.run(  # noqa: S603 (a fixed command)
        [nginx, "-t", "-p", str(tmp_path), "-e", str(tmp_path / "error.log"), "-c", str(tmp_path / "nginx.conf")],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
