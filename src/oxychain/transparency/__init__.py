"""Transparency: the Open Contracting Data Standard export and red flags."""

from oxychain.core.areas import Area

AREA = Area(
    name="transparency",
    api=("oxychain.transparency.api",),
    pages=("oxychain.transparency.pages",),
    commands=("oxychain.transparency.cli",),
    permissions="oxychain.transparency.permissions",
    repositories=(("transparency", "oxychain.transparency.repository:Transparency"),),
    settings="oxychain.transparency.settings:TransparencySettings",
    home_queue="oxychain.transparency.services:home_queue",
)
