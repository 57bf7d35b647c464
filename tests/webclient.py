"""Test clients for the web app: one logged-in browser session or API token per role."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi.testclient import TestClient

from oxychain.app import Settings, bootstrap, create_app
from oxychain.core.services import auth
from oxychain.core.web.guards import SESSION_COOKIE


@dataclass
class RoleClient:
    role: str
    client: TestClient  # carries the session cookie
    csrf: str
    principal: object

    def post(self, url: str, **kwargs):  # noqa: ANN003, ANN201
        headers = {"X-CSRF-Token": self.csrf, **kwargs.pop("headers", {})}
        return self.client.post(url, headers=headers, **kwargs)


def make_app(database_url: str):  # noqa: ANN201
    settings = Settings(database_url=database_url, environment="test")
    oxy = bootstrap(settings)
    return create_app(oxy), oxy


def login_as(app, oxy, role: str, username: str, password: str) -> RoleClient:  # noqa: ANN001
    new = auth.login(oxy.uow(write=True), oxy.settings, username, password, "testclient")
    client = TestClient(app, follow_redirects=False)
    client.cookies.set(SESSION_COOKIE, new.token)
    return RoleClient(role, client, new.csrf_token, new.principal)
