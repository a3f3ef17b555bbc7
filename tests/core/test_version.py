"""The release: from the package metadata, in the footer, at /api/v1/version, and in CHANGELOG.md."""

import re
from pathlib import Path

from veerkracht.version import installed_version

ROOT = Path(__file__).resolve().parents[2]


def test_the_version_comes_from_the_package_metadata():
    pyproject = (ROOT / "pyproject.toml").read_text()
    declared = re.search(r'^version = "([^"]+)"', pyproject, re.MULTILINE)
    assert declared, "pyproject.toml declares no version"
    assert installed_version() == declared[1], "reinstall (make) after changing the version"


def test_the_newest_changelog_entry_is_this_version_with_upgrade_notes():
    changelog = (ROOT / "CHANGELOG.md").read_text()
    releases = re.findall(r"^## (\S+)", changelog, re.MULTILINE)
    assert releases[0] == installed_version()
    for section in re.split(r"^## ", changelog, flags=re.MULTILINE)[1:]:
        assert "### Upgrade notes" in section, f"release {section.split()[0]} has no upgrade notes"


def test_the_licence_is_the_eupl_1_2():
    text = (ROOT / "LICENSE").read_text()
    assert "EUROPEAN UNION PUBLIC LICENCE v. 1.2" in text
    assert 'license = "EUPL-1.2"' in (ROOT / "pyproject.toml").read_text()


def test_the_footer_shows_the_version(db, client):
    assert f"Veerkracht {installed_version()} ·" in client.get("/inloggen/").content.decode()


def test_the_api_gives_the_version_without_sign_in(db, client):
    response = client.get("/api/v1/version")
    assert (response.status_code, response.json()) == (200, {"version": installed_version()})


def test_the_version_endpoint_is_in_the_openapi_document(db, client):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/version"]["get"]
    assert "security" not in operation  # no sign-in needed
    assert "VersionOut" in schema["components"]["schemas"]
