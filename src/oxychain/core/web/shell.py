"""The web application: the JSON API under /api/v1 and the server-rendered pages of every
installed area, behind one error handler and one set of security headers."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.staticfiles import StaticFiles

from oxychain import __version__
from oxychain.core import areas
from oxychain.core.bootstrap import Oxychain
from oxychain.core.web import errors
from oxychain.core.web.bodylimit import BodyLimit
from oxychain.core.web.guards import LANG_COOKIE

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "connect-src 'self'; frame-ancestors 'none'; form-action 'self'"
    ),
}


def web_app(oxychain: Oxychain) -> FastAPI:
    app = FastAPI(
        title="oxychain",
        version=__version__,
        description="Tenders, inspection, devices and allocation of oxygen concentrators.",
        openapi_url="/api/v1/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    app.state.oxychain = oxychain
    for module in areas.modules("api"):
        app.include_router(module.router, prefix="/api/v1")
    for module in areas.modules("pages"):
        app.include_router(module.router, include_in_schema=False)
    # Each area's static/ folder under one /static (names do not collide: css/<area>.css).
    static = [(a.package, "static") for a in areas.installed() if a.folder("static")]
    app.mount("/static", StaticFiles(packages=static), name="static")
    errors.install(app)
    # Inside the middleware below, so its refusals carry the language and the headers.
    app.add_middleware(BodyLimit, web=app)

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
