"""Each role's start page at phone size, as pictures for the documentation; not part of the suite.

    .venv/bin/pytest -p no:cacheprovider tests/browser/screenshots.py    # -> docs/screenshots/*.png

pytest collects this file only when it is named (it does not match ``test_*.py``). The people are
the suite's cast, with an activity, a help match and a planned round, so the pages show work.
"""

from pathlib import Path

import pytest

from tests.browser.test_accessibility import (  # noqa: F401  (fixtures, used by name)
    PHONE,
    _sign_in,
    activity,
    help_case,
    outreach_round,
    place,
)
from tests.conftest import Cast

OUT = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
ROLES = [
    (None, "publiek"),
    ("resident", "bewoner"),
    ("professional", "wijkwerker"),
    ("volunteer", "vrijwilliger"),
    ("basisbaan", "basisbaan"),
    ("coordinator", "coordinator"),
    ("funder", "gemeente"),
    ("privacy_officer", "functionaris-gegevensbescherming"),
]


@pytest.mark.parametrize(("role", "name"), ROLES, ids=[name for _, name in ROLES])
def test_start_page_at_phone_size(browser, live_server, cast: Cast, activity, help_case, outreach_round, role, name):  # noqa: F811
    OUT.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(bypass_csp=True, viewport=PHONE, locale="nl-NL")
    page = context.new_page()
    try:
        if role:
            _sign_in(page, live_server.url, getattr(cast, role).username)
        else:
            page.goto(f"{live_server.url}/")
        page.screenshot(path=str(OUT / f"{name}.png"), full_page=True)
        menu = page.get_by_role("navigation", name="Hoofdmenu").locator("summary")
        if menu.count() and menu.is_visible():
            menu.click()
            page.screenshot(path=str(OUT / f"{name}-menu.png"))
    finally:
        context.close()
