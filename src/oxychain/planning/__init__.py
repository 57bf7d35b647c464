"""Planning: case counts, forecast, demand and gap, allocation, explain, plan dispatch."""

from oxychain.core.areas import Area

AREA = Area(
    name="planning",
    api=("oxychain.planning.api.cases", "oxychain.planning.api.plans"),
    pages=(
        "oxychain.planning.pages.plans",
        "oxychain.planning.pages.data",
        "oxychain.planning.pages.dashboard",
    ),
    commands=(
        "oxychain.planning.cli.forecast",
        "oxychain.planning.cli.plan",
        "oxychain.planning.cli.cases",
    ),
    permissions="oxychain.planning.permissions",
    tables="oxychain.planning.tables",
    repositories=(
        ("planning", "oxychain.planning.repository:Planning"),
        # distribution's port: challans carry out approved plans only
        ("allocation_plans", "oxychain.planning.approved_plans:AllocationPlans"),
    ),
    settings="oxychain.planning.settings:PlanningSettings",
    demo="oxychain.planning.demo",
    jobs=("oxychain.planning.jobs",),
    home_queue="oxychain.planning.services.home:home_queue",
)
