"""Tendering: tenders, the committee, sealed covers, the opening, evaluation, award,
purchase orders, tranches and liquidated damages."""

from oxychain.core.areas import Area

AREA = Area(
    name="tendering",
    api=(
        "oxychain.tendering.api.tenders",
        "oxychain.tendering.api.bids",
        "oxychain.tendering.api.purchase_orders",
    ),
    pages=(
        "oxychain.tendering.pages.tenders",
        "oxychain.tendering.pages.bids",
        "oxychain.tendering.pages.purchase_orders",
    ),
    commands=("oxychain.tendering.cli",),
    permissions="oxychain.tendering.permissions",
    tables="oxychain.tendering.tables",
    repositories=(
        ("tenders", "oxychain.tendering.repository:Tenders"),
        ("contracts", "oxychain.tendering.repository:Contracts"),
    ),
    settings="oxychain.tendering.settings:TenderingSettings",
    demo="oxychain.tendering.demo",
    jobs=("oxychain.tendering.jobs",),
    home_queue="oxychain.tendering.services.home:home_queue",
)
