"""The outbox (``OutboundMessage``): every app writes its SMS and e-mail here, and messaging delivers them.

Activities tells a resident who moved up from the waitlist, messaging sends campaigns: both queue
a delivery run by the name under which messaging registers its body (``DELIVER``), so an app
below messaging sends without importing it (docs/layers.md).
"""

from veerkracht.core.models import Organisation, TaskRun, User
from veerkracht.core.tasks import task_run_queue

DELIVER = "messaging.deliver"  # the body: messaging/delivery.py


def outbox_deliver_start(*, organisation: Organisation, by: User | None, outbound_ids: list[int]) -> TaskRun:
    """Queue a delivery run for these outbox rows (inside the caller's transaction)."""
    return task_run_queue(kind=DELIVER, organisation=organisation, by=by, params={"outbound_ids": outbound_ids})
