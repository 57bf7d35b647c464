"""Finance: payment terms, bills and their deductions, approval and payments, the
securities register, the ledger and its exports (Excel, Tally), and the payments and
deductions the open-contracting export publishes."""

from oxychain.core.areas import Area

AREA = Area(
    name="finance",
    api=("oxychain.finance.api.bills", "oxychain.finance.api.accounts"),
    pages=("oxychain.finance.pages.bills", "oxychain.finance.pages.accounts"),
    commands=("oxychain.finance.cli",),
    permissions="oxychain.finance.permissions",
    tables="oxychain.finance.tables",
    repositories=(("finance", "oxychain.finance.repository:Finance"),),
    settings="oxychain.finance.settings:FinanceSettings",
    demo="oxychain.finance.demo",
    home_queue="oxychain.finance.services.home:home_queue",
)
