"""Inspection: the serial registry (devices are born when a lot is offered), lots,
sampling plans and switching, readings, verdicts, certificates."""

from oxychain.core.areas import Area

AREA = Area(
    name="inspection",
    api=(
        "oxychain.inspection.api.lots",
        "oxychain.inspection.api.oversight",
        "oxychain.inspection.api.sampling",
        "oxychain.inspection.api.switching",
        "oxychain.inspection.api.documents",
    ),
    pages=(
        "oxychain.inspection.pages.lots",
        "oxychain.inspection.pages.units",
        "oxychain.inspection.pages.figures",
        "oxychain.inspection.pages.sampling",
    ),
    commands=("oxychain.inspection.cli",),
    permissions="oxychain.inspection.permissions",
    tables="oxychain.inspection.tables",
    repositories=(("inspection", "oxychain.inspection.repository:Inspection"),),
    settings="oxychain.inspection.settings:InspectionSettings",
    demo="oxychain.inspection.demo",
    jobs=("oxychain.inspection.jobs",),
    home_queue="oxychain.inspection.services.home:home_queue",
)
