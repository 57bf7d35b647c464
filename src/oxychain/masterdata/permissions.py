"""Who reads and changes master data: districts, warehouses, facilities, items."""

from __future__ import annotations

from oxychain.core.access import EVERYONE, HQ_READERS, Permission, R, Scope

PERMISSIONS = (
    Permission("district.read", False, EVERYONE),
    Permission("warehouse.read", False, EVERYONE),
    Permission("item.read", False, EVERYONE),
    Permission(
        "facility.read",
        False,
        {
            **HQ_READERS,
            R.DISTRICT_OFFICER: Scope.OWN_DISTRICT,
            R.WAREHOUSE_KEEPER: Scope.OWN_DISTRICT,
            R.FACILITY_INCHARGE: Scope.OWN_FACILITY,
            R.INSPECTOR: Scope.ALL,
        },
    ),
    Permission("facility.import", True, {R.ADMIN: Scope.ALL}),
    # Suppliers' identities (GSTIN, PAN, Udyam) are HQ's; the admin keeps the register.
    Permission("supplier.read", False, HQ_READERS),
    Permission("supplier.write", True, {R.ADMIN: Scope.ALL}),
)
