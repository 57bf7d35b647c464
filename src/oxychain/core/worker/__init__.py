"""Jobs: work that falls due without anyone clicking, run by ``oxychain worker``.

An area names its jobs in ``Area.jobs``: modules with ``JOBS`` (each a ``JobKind``: a name
and what to do in the job's unit of work) and ``schedules(settings)`` (the ``Schedule`` of
each recurring one). A service schedules a one-off job in its own transaction
(``uow.jobs.schedule``), so that the job exists exactly when the change behind it does.

Exactly once: a worker claims a due job under a row lock (``FOR UPDATE SKIP LOCKED`` on
PostgreSQL; SQLite's write transactions begin IMMEDIATE, one at a time) and leases it with
a token; it runs the job in a second transaction that locks the row again, checks the token
and commits the job's effects together with its "done". A worker killed mid-job loses its
transaction; once its lease runs out another worker claims the job and runs it again.
``runner`` holds the two transactions, ``loop`` the worker's loop, ``store`` the queries.
"""

from oxychain.core.worker.kinds import JobContext, JobKind, Schedule

__all__ = ["JobContext", "JobKind", "Schedule"]
