"""Who publishes: the corporation, with its registered ocid prefix, its identifier, the
license and publication policy (OCDS 1.1, "Package metadata"); and the refusal to
publish placeholders in production."""

from __future__ import annotations

import re
from dataclasses import dataclass

from oxychain.core.errors import InvalidInput

# OCDS 1.1 "Identifiers": an ocid prefix is "ocds-" and 6 characters the Open Contracting
# Partnership registers for a publisher, then any segment the publisher adds.
OCID_PREFIX = re.compile(r"ocds-[a-z0-9]{6}(-[A-Za-z0-9]+)*")
PLACEHOLDER = re.compile(r"x{6}|example\.(invalid|org|com)|placeholder|\bTODO\b", re.IGNORECASE)


@dataclass(frozen=True)
class Publisher:
    """Who publishes (and buys): the corporation, from the settings."""

    name: str
    address: str
    ocid_prefix: str
    base_uri: str  # where packages are published
    documents_uri: str = ""  # the app's public address: documents are linked from it
    scheme: str = ""  # publisher.scheme and buyer identifier scheme (org-id.guide)
    uid: str = ""  # the corporation's identifier in that scheme
    uri: str = ""  # the corporation's web site
    license: str = ""
    publication_policy: str = ""
    locality: str = "Lucknow"
    region: str = "Uttar Pradesh"
    postal_code: str = ""
    # Schemes of the suppliers' identifiers, and the items' classification.
    gstin_scheme: str = "IN-GSTIN"
    pan_scheme: str = "IN-PAN"
    udyam_scheme: str = "IN-UDYAM"
    item_scheme: str = "UNSPSC"
    item_code: str = "42271702"
    item_label: str = "Oxygen concentrators"

    @property
    def party_id(self) -> str:
        """The buyer's party id: scheme and identifier, as OCDS guidance builds an
        organization id; "buyer" only while the identifier is not set."""
        return f"{self.scheme}-{self.uid}" if self.scheme and self.uid else "buyer"

    def placeholders(self) -> list[str]:
        """The settings that still hold a placeholder or are missing."""
        wrong = []
        if not OCID_PREFIX.fullmatch(self.ocid_prefix) or PLACEHOLDER.search(self.ocid_prefix):
            wrong.append("OXYCHAIN_OCDS_OCID_PREFIX")
        named = (
            ("OXYCHAIN_OCDS_BASE_URI", self.base_uri),
            ("OXYCHAIN_OCDS_DOCUMENTS_URI", self.documents_uri),
            ("OXYCHAIN_OCDS_PUBLISHER_UID", self.uid),
            ("OXYCHAIN_OCDS_LICENSE", self.license),
            ("OXYCHAIN_OCDS_PUBLICATION_POLICY", self.publication_policy),
        )
        wrong += [name for name, value in named if not value or PLACEHOLDER.search(value)]
        return wrong


def check_publishable(publisher: Publisher, environment: str) -> None:
    """In production, refuse to publish a package that names a placeholder: an ocid
    prefix that is not registered makes every ocid wrong for good."""
    wrong = publisher.placeholders()
    if environment == "production" and wrong:
        raise InvalidInput(
            "Open-contracting data is not published with placeholder settings: set {names}.",
            names=", ".join(wrong),
        )
