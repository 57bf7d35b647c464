"""Core: config, errors, clock, people and the access policy, the audit chain, the
database and unit of work, i18n and formatting, PDF, the web shell, the jobs the worker
runs and the notices it sends. Imports no area."""

from oxychain.core.areas import Area

AREA = Area(
    name="core",
    api=("oxychain.core.api.system", "oxychain.core.api.people", "oxychain.core.api.notices"),
    pages=(
        "oxychain.core.pages.session",
        "oxychain.core.pages.admin",
        "oxychain.core.pages.notices",
        "oxychain.core.pages.jobs",
    ),
    commands=("oxychain.core.cli", "oxychain.core.worker.cli"),
    tables="oxychain.core.tables",
    settings="oxychain.core.worker.settings:OperationsSettings",
    jobs=("oxychain.core.worker.housekeeping",),
    home_queue="oxychain.core.services.home:home_queue",
)
