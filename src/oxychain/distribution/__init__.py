"""Distribution and service: a device's life after acceptance, challans, scans, receipts,
installation, home loans, fault tickets, uptime, stock."""

from oxychain.core.areas import Area

AREA = Area(
    name="distribution",
    api=(
        "oxychain.distribution.api.scans",
        "oxychain.distribution.api.service",
        "oxychain.distribution.api.stock",
    ),
    pages=(
        "oxychain.distribution.pages.devices",
        "oxychain.distribution.pages.service",
        "oxychain.distribution.pages.stock",
    ),
    permissions="oxychain.distribution.permissions",
    tables="oxychain.distribution.tables",
    repositories=(
        ("ledger", "oxychain.distribution.repositories.events:Ledger"),
        ("dispatch", "oxychain.distribution.repositories.dispatch:Dispatch"),
        ("service", "oxychain.distribution.repositories.service:Service"),
    ),
    settings="oxychain.distribution.settings:DistributionSettings",
    demo="oxychain.distribution.demo",
    jobs=("oxychain.distribution.jobs",),
    home_queue="oxychain.distribution.services.home:home_queue",
)
