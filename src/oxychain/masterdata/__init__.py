"""Master data: districts, warehouses, facilities, items and their limits, facility
import, and the ISO 2859-1 tables (a standard a tender names)."""

from oxychain.core.areas import Area

AREA = Area(
    name="masterdata",
    api=("oxychain.masterdata.api",),
    pages=("oxychain.masterdata.pages",),
    permissions="oxychain.masterdata.permissions",
    tables="oxychain.masterdata.tables",
    repositories=(("masterdata", "oxychain.masterdata.repository:MasterData"),),
    demo="oxychain.masterdata.demo",
    template_globals="oxychain.masterdata.pages:template_globals",
)
