"""Who may move, receive, install, lend and service devices, and read their records."""

from __future__ import annotations

from oxychain.core.access import HQ_READERS, Permission, R, Scope

PERMISSIONS = (
    # Events of the device lifecycle (domain/lifecycle.py PERMISSION), each over the
    # device's current place; "device.scan" guards the scan page and API as a whole.
    Permission(
        "device.scan",
        True,
        {
            R.WAREHOUSE_KEEPER: Scope.OWN_WAREHOUSE,
            R.FACILITY_INCHARGE: Scope.OWN_FACILITY,
            R.DISTRICT_OFFICER: Scope.OWN_DISTRICT,
            R.SUPPLIER: Scope.OWN_SUPPLIER,
        },
    ),
    Permission(
        "device.receive",
        True,
        {R.WAREHOUSE_KEEPER: Scope.OWN_WAREHOUSE, R.FACILITY_INCHARGE: Scope.OWN_FACILITY},
    ),
    Permission(
        "device.issue",
        True,
        {R.WAREHOUSE_KEEPER: Scope.OWN_WAREHOUSE, R.DISTRICT_OFFICER: Scope.OWN_DISTRICT},
    ),
    Permission(
        "device.install",
        True,
        {R.FACILITY_INCHARGE: Scope.OWN_FACILITY, R.DISTRICT_OFFICER: Scope.OWN_DISTRICT},
    ),
    Permission(
        "device.return",
        True,
        {R.FACILITY_INCHARGE: Scope.OWN_FACILITY, R.DISTRICT_OFFICER: Scope.OWN_DISTRICT},
    ),
    Permission(
        "device.refurbish",
        True,
        {R.WAREHOUSE_KEEPER: Scope.OWN_WAREHOUSE, R.DISTRICT_OFFICER: Scope.OWN_DISTRICT},
    ),
    Permission(
        "device.maintain",
        True,
        {
            R.FACILITY_INCHARGE: Scope.OWN_FACILITY,
            R.DISTRICT_OFFICER: Scope.OWN_DISTRICT,
            R.SUPPLIER: Scope.OWN_SUPPLIER,
        },
    ),
    Permission(
        "device.read",
        False,
        {
            **HQ_READERS,
            R.DISTRICT_OFFICER: Scope.OWN_DISTRICT,
            R.WAREHOUSE_KEEPER: Scope.OWN_WAREHOUSE,
            R.FACILITY_INCHARGE: Scope.OWN_FACILITY,
            R.SUPPLIER: Scope.OWN_SUPPLIER,
        },
    ),
    Permission(
        "stock.read",
        False,
        {
            **HQ_READERS,
            R.DISTRICT_OFFICER: Scope.OWN_DISTRICT,
            R.WAREHOUSE_KEEPER: Scope.OWN_WAREHOUSE,
            R.FACILITY_INCHARGE: Scope.OWN_FACILITY,
        },
    ),
    Permission(
        "challan.read",
        False,
        {
            **HQ_READERS,
            R.SUPPLIER: Scope.OWN_SUPPLIER,
            R.WAREHOUSE_KEEPER: Scope.OWN_WAREHOUSE,
            R.FACILITY_INCHARGE: Scope.OWN_FACILITY,
            R.DISTRICT_OFFICER: Scope.OWN_DISTRICT,
        },
    ),
    Permission(
        "challan.write",
        True,
        {
            R.PROCUREMENT_OFFICER: Scope.ALL,
            R.SUPPLIER: Scope.OWN_SUPPLIER,
            R.WAREHOUSE_KEEPER: Scope.OWN_WAREHOUSE,
        },
    ),
    Permission(
        "challan.receive",
        True,
        {R.WAREHOUSE_KEEPER: Scope.OWN_WAREHOUSE, R.FACILITY_INCHARGE: Scope.OWN_FACILITY},
    ),
    # Loans hold a patient reference and a phone hash: the district and the auditor only.
    Permission(
        "loan.read",
        False,
        {
            R.DISTRICT_OFFICER: Scope.OWN_DISTRICT,
            R.WAREHOUSE_KEEPER: Scope.OWN_WAREHOUSE,
            R.AUDITOR: Scope.ALL,
        },
    ),
    # The CMO runs the district's concentrator bank; the district warehouse's keeper lends
    # from it too (the device leaves their store). Taking a loan back stays with the CMO.
    Permission(
        "loan.write",
        True,
        {R.DISTRICT_OFFICER: Scope.OWN_DISTRICT, R.WAREHOUSE_KEEPER: Scope.OWN_WAREHOUSE},
    ),
    Permission("loan.return", True, {R.DISTRICT_OFFICER: Scope.OWN_DISTRICT}),
    Permission(
        "ticket.read",
        False,
        {
            **HQ_READERS,
            R.DISTRICT_OFFICER: Scope.OWN_DISTRICT,
            R.WAREHOUSE_KEEPER: Scope.OWN_WAREHOUSE,
            R.FACILITY_INCHARGE: Scope.OWN_FACILITY,
            R.SUPPLIER: Scope.OWN_SUPPLIER,
        },
    ),
    Permission(
        "ticket.write",
        True,
        {
            R.FACILITY_INCHARGE: Scope.OWN_FACILITY,
            R.DISTRICT_OFFICER: Scope.OWN_DISTRICT,
            R.WAREHOUSE_KEEPER: Scope.OWN_WAREHOUSE,
        },
    ),
    Permission(
        "ticket.service",
        True,
        {R.SUPPLIER: Scope.OWN_SUPPLIER, R.DISTRICT_OFFICER: Scope.OWN_DISTRICT},
    ),
    Permission("ticket.condemn", True, {R.DISTRICT_OFFICER: Scope.OWN_DISTRICT}),
    Permission(
        "acceptance.read",
        False,
        {
            **HQ_READERS,
            R.SUPPLIER: Scope.OWN_SUPPLIER,
            R.FACILITY_INCHARGE: Scope.OWN_FACILITY,
            R.DISTRICT_OFFICER: Scope.OWN_DISTRICT,
        },
    ),
    Permission("acceptance.write", True, {R.FACILITY_INCHARGE: Scope.OWN_FACILITY}),
    Permission(
        "uptime.read",
        False,
        {
            **HQ_READERS,
            R.DISTRICT_OFFICER: Scope.OWN_DISTRICT,
            R.FACILITY_INCHARGE: Scope.OWN_FACILITY,
        },
    ),
)
