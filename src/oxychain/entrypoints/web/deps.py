"""Shared pieces of the page routers."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from oxychain.domain.people import Principal
from oxychain.entrypoints.api.deps import app_of, guarded, reader, writer
from oxychain.entrypoints.guards import PUBLIC

Anyone = Annotated[Principal | None, Depends(PUBLIC)]

__all__ = ["Anyone", "app_of", "guarded", "reader", "writer"]
