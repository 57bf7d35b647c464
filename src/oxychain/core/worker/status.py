"""The statuses of a job and of one run of it, with their moves (``core.states``)."""

from __future__ import annotations

from enum import StrEnum

from oxychain.core.states import Lifecycle


class JobStatus(StrEnum):
    QUEUED = "queued"  # waiting for its time
    RUNNING = "running"  # claimed by a worker, under a lease
    DONE = "done"
    FAILED = "failed"  # gave up after its attempts; an admin may queue it again
    CANCELLED = "cancelled"  # what it was for went away (a cancelled tender's close)


J = JobStatus
JOB = Lifecycle(
    "job",
    JobStatus,
    {
        # A running job is claimed again only once its worker's lease has run out.
        "claim": ([J.QUEUED, J.RUNNING], J.RUNNING),
        "finish": ([J.RUNNING], J.DONE),
        "retry": ([J.RUNNING], J.QUEUED),
        "give_up": ([J.RUNNING], J.FAILED),
        "requeue": ([J.FAILED], J.QUEUED),
        "cancel": ([J.QUEUED, J.FAILED], J.CANCELLED),
    },
)


class RunOutcome(StrEnum):
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    INTERRUPTED = "interrupted"  # its worker stopped mid-job; the job was claimed again


R = RunOutcome
RUN = Lifecycle(
    "job run",
    RunOutcome,
    {
        "succeed": ([R.RUNNING], R.SUCCEEDED),
        "fail": ([R.RUNNING], R.FAILED),
        "interrupt": ([R.RUNNING], R.INTERRUPTED),
    },
)
