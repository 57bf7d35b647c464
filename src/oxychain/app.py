"""The web application: the JSON API under /api/v1 and the server-rendered pages."""

from __future__ import annotations

from importlib import resources

from fastapi import FastAPI, Request
from fastapi.staticfiles import StaticFiles

from oxychain import __version__
from oxychain.core.bootstrap import Oxychain, bootstrap
from oxychain.core.web import errors
from oxychain.entrypoints.api import ROUTERS as API_ROUTERS
from oxychain.core.web.guards import LANG_COOKIE
from oxychain.entrypoints.web.routes import ROUTERS as WEB_ROUTERS

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "connect-src 'self'; frame-ancestors 'none'; form-action 'self'"
    ),
}


def create_app(oxychain: Oxychain | None = None) -> FastAPI:
    oxychain = oxychain or bootstrap()
    app = FastAPI(
        title="oxychain",
        version=__version__,
        description="Tenders, inspection, devices and allocation of oxygen concentrators.",
        openapi_url="/api/v1/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    app.state.oxychain = oxychain
    for router in API_ROUTERS:
        app.include_router(router, prefix="/api/v1")
    for router in WEB_ROUTERS:
        app.include_router(router, include_in_schema=False)
    static = resources.files("oxychain") / "entrypoints" / "web" / "static"
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    errors.install(app)

    @app.middleware("http")
    async def _language_and_headers(request: Request, call_next):  # noqa: ANN001, ANN202
        cookie = request.cookies.get(LANG_COOKIE)
        request.state.lang = (
            cookie if cookie in ("hi", "en") else oxychain.settings.default_language
        )
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    return app
