"""A locked read (SELECT ... FOR UPDATE) outside a transaction is refused, every time (issue 21).

A read compiled once inside a transaction (the retired core/compiled.py) skipped Django's check
on later calls, so the same read outside one would not lock and say nothing.
"""

import pytest
from django.db import connection, transaction
from django.db.transaction import TransactionManagementError

from veerkracht.insights.reach import states

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no row locks (Django does not check)"),
]


def test_a_locked_read_outside_a_transaction_is_refused_even_after_one_inside():
    with transaction.atomic():
        assert states([-1], 2026, lock=True) == {}
    with pytest.raises(TransactionManagementError):
        states([-1], 2026, lock=True)
