"""The Open Contracting Partnership's review library (libcoveocds) run offline on a release
package: the standard's 1.1.5 schemas from tests/data/ocds-1.1.5 as the standard's ZIP, and
the bids extension from tests/transparency/data/bid-extension served at its published address
by a requests adapter that answers nothing else (see that folder's SOURCE.md)."""

from __future__ import annotations

import io
import json
import zipfile
from functools import cache
from pathlib import Path

import requests
from ocdsextensionregistry import util as registry
from requests.adapters import BaseAdapter
from urllib3.response import HTTPResponse

HERE = Path(__file__).resolve().parent
STANDARD = HERE.parents[0] / "data" / "ocds-1.1.5"
EXTENSION = HERE / "data" / "bid-extension"
EXTENSION_ARCHIVE = (
    "https://github.com/open-contracting-extensions/ocds_bid_extension/archive/v1.1.5.zip"
)
# Read by libcoveocds only for record packages; a release package never reaches it.
VERSIONED_PLACEHOLDER = {
    "$schema": "http://json-schema.org/draft-04/schema#",
    "description": "versioned-release-validation-schema.json: not vendored (record packages only)",
}


class Offline(BaseAdapter):
    """Serves the vendored extension files; any other address is a 404, never the network."""

    def send(self, request, **kwargs) -> requests.Response:  # noqa: ANN001, ANN003
        response = requests.Response()
        response.url = request.url
        response.request = request
        # The registry fetches a GitHub extension as its tag's archive.
        content = extension_zip() if request.url == EXTENSION_ARCHIVE else None
        response.status_code, response.reason = (200, "OK") if content else (404, "Not Found")
        response._content = content or b""  # noqa: SLF001
        # requests-cache (the registry's session) keeps the raw response too.
        response.raw = HTTPResponse(
            body=io.BytesIO(response.content), status=response.status_code,
            preload_content=False, request_url=request.url,
        )  # fmt: skip
        return response

    def close(self) -> None:
        pass


@cache
def extension_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("ocds_bid_extension-1.1.5/", "")
        z.writestr(
            "ocds_bid_extension-1.1.5/extension.json", (EXTENSION / "extension.json").read_text()
        )
        schema = (STANDARD / "bids-extension-release-schema.json").read_text()
        z.writestr("ocds_bid_extension-1.1.5/release-schema.json", schema)
        for codelist in sorted((EXTENSION / "codelists").glob("*.csv")):
            z.writestr(f"ocds_bid_extension-1.1.5/codelists/{codelist.name}", codelist.read_text())
    return buffer.getvalue()


@cache
def standard_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("standard-1__1__5/", "")
        for name in ("release-schema.json", "release-package-schema.json"):
            z.writestr(f"standard-1__1__5/schema/{name}", (STANDARD / name).read_text())
        for codelist in sorted((HERE / "data" / "codelists").glob("*.csv")):
            z.writestr(f"standard-1__1__5/schema/codelists/{codelist.name}", codelist.read_text())
        z.writestr(
            "standard-1__1__5/schema/versioned-release-validation-schema.json",
            json.dumps(VERSIONED_PLACEHOLDER),
        )
    return buffer.getvalue()


def review(package: dict, workdir: Path) -> dict:
    """libcoveocds' results for the package (``validation_errors``, ``conformance_errors``...)."""
    from libcoveocds.api import ocds_json_output
    from libcoveocds.config import LibCoveOCDSConfig

    for scheme in ("https://", "http://"):
        registry.session.mount(scheme, Offline())
    config = LibCoveOCDSConfig({"context": "api", "standard_zip": standard_zip()})
    data = json.loads(json.dumps(package))
    # It writes the extended schema into the output folder: a temporary one.
    return ocds_json_output(str(workdir), json_data=data, lib_cove_ocds_config=config)
