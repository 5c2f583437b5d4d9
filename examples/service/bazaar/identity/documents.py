"""Identity documents as submitted by users, and their validation."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

DOCUMENT_KINDS = ("passport", "id_card", "driving_licence")
_NUMBER = re.compile(r"^[A-Z0-9]{6,12}$")


class DocumentExpired(ValueError):
    """The document's expiry date is in the past."""


@dataclass(frozen=True)
class Document:
    kind: str
    number: str
    country: str
    holder: str
    expires: dt.date

    def check(self, today: dt.date) -> None:
        if self.kind not in DOCUMENT_KINDS:
            raise ValueError(f"unsupported document type: {self.kind!r}")
        if not _NUMBER.match(self.number):
            raise ValueError(f"malformed document number: {self.number!r}")
        if len(self.country) != 2 or not self.country.isupper():
            raise ValueError(f"country must be an ISO 3166 alpha-2 code: {self.country!r}")
        if self.expires < today:
            raise DocumentExpired("document expired")


def parse_document(data: dict[str, str]) -> Document:
    """Build a `Document` from the JSON the mobile app uploads."""
    try:
        kind = data["type"]
        number = data["number"].replace(" ", "").upper()
        country = data["country"]
        holder = data["holder"]
        expires_raw = data["expires"]
    except KeyError as e:
        raise ValueError(f"document field missing: {e.args[0]}")
    try:
        expires = dt.date.fromisoformat(expires_raw)
    except (TypeError, ValueError):
        raise ValueError(f"expires is not an ISO date: {expires_raw!r}")
    if not holder.strip():
        raise ValueError("holder name is empty")
    return Document(kind, number, country, holder.strip(), expires)
