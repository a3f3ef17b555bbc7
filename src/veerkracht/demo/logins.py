"""The demo logins: published on purpose, so they may only exist in a demo or development set-up.

``make run`` prints them and the start-up check refuses to serve outside demo mode while any of
them still opens with the published password.
"""

DEMO_PASSWORD = "veerkracht-demo"  # noqa: S105 - published on purpose, see above

# Username -> (role, what the login is for), in the order they are shown.
DEMO_LOGINS: dict[str, tuple[str, str]] = {
    "coordinator": ("coordinator", "coördinator: sees the whole organisation"),
    "worker": ("professional", "buurtcoach in the first wijkteam"),
    "basisbaan": ("basisbaan", "basisbaan worker in the first wijkteam"),
    "volunteer": ("volunteer", "volunteer in the first wijkteam"),
    "resident": ("resident", "a resident of the first neighbourhood"),
    "privacy": ("privacy_officer", "privacy officer (FG): reads the audit log"),
    "funder": ("funder", "the municipality as funder: aggregates only"),
}
DEMO_USERNAMES: tuple[str, ...] = tuple(DEMO_LOGINS)
