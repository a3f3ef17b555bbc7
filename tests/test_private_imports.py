"""ruff's banned-API rule keeps Django's and libraries' private internals in core/db.py (issue 21)."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRIVATE = [
    "from django.db.models.query import ModelIterable",
    "from django.db.models.query import ValuesListIterable",
    "from django.db.models.query import get_related_populators",
    "from django.db.models.sql.compiler import SQLCompiler",
    "from django.utils.translation import trans_real",
    "from django.utils.timezone import template_localtime",
    "from django_otp.middleware import is_verified",
    "from django_otp.conf import settings",
]


def _ruff(source: str, path: str) -> subprocess.CompletedProcess[str]:
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or "ruff"
    return subprocess.run(  # noqa: S603 - our own linter on our own text
        [ruff, "check", "--select", "TID251", "--stdin-filename", path, "-"],
        input=source + "\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )


@pytest.mark.parametrize("statement", PRIVATE)
def test_a_private_import_is_refused_outside_the_raw_sql_module(statement):
    result = _ruff(statement, "src/veerkracht/people/selectors.py")
    assert result.returncode == 1
    assert "TID251" in result.stdout


@pytest.mark.parametrize("statement", PRIVATE)
def test_the_raw_sql_module_may_import_them(statement):
    assert _ruff(statement, "src/veerkracht/core/db.py").returncode == 0


@pytest.mark.parametrize("statement", PRIVATE)
def test_the_jinja2_environment_is_held_to_the_rule_like_any_module(statement):
    """core/jinja.py uses Django's public gettext and timezone API: it has no exemption left."""
    assert _ruff(statement, "src/veerkracht/core/jinja.py").returncode == 1


@pytest.mark.parametrize("path", ["src/veerkracht/engines/x.py", "src/veerkracht/demo/city/x.py"])
@pytest.mark.parametrize("statement", PRIVATE)
def test_the_folders_with_their_own_rules_refuse_them_too(statement, path):
    """engines/ and demo/city/ replace the project's list with their own: it must cover these."""
    assert _ruff(statement, path).returncode == 1


def test_the_public_apis_are_allowed():
    public = "from django.db.models import QuerySet\nfrom django_otp.middleware import OTPMiddleware\n"
    assert _ruff(public, "src/veerkracht/people/selectors.py").returncode == 0
