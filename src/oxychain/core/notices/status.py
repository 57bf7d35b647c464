"""The statuses of a delivery in the outbox, with their moves (``core.states``)."""

from __future__ import annotations

from enum import StrEnum

from oxychain.core.states import Lifecycle


class DeliveryStatus(StrEnum):
    PENDING = "pending"  # waiting for its next attempt
    SENDING = "sending"  # claimed by a worker, under a lease
    SENT = "sent"
    FAILED = "failed"  # gave up after its attempts; an admin may send it again
    SKIPPED = "skipped"  # the channel is not set up on this installation


D = DeliveryStatus
DELIVERY = Lifecycle(
    "delivery",
    DeliveryStatus,
    {
        "claim": ([D.PENDING, D.SENDING], D.SENDING),  # SENDING: its worker's lease ran out
        "sent": ([D.SENDING], D.SENT),
        "retry": ([D.SENDING], D.PENDING),
        "give_up": ([D.SENDING], D.FAILED),
        "skip": ([D.SENDING], D.SKIPPED),
        "resend": ([D.FAILED, D.SKIPPED], D.PENDING),
    },
)
