"""Core: config, errors, clock, people and the access policy, the audit chain, the
database and unit of work, i18n and formatting, PDF, and the web shell. Imports no area."""

from oxychain.core.areas import Area

AREA = Area(
    name="core",
    api=("oxychain.core.api.system", "oxychain.core.api.people"),
    pages=("oxychain.core.pages.session", "oxychain.core.pages.admin"),
    commands=("oxychain.core.cli",),
    tables="oxychain.core.tables",
)
