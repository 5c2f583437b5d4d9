"""Identity verification: documents, sanctions screening, verification status."""

from bazaar.identity.documents import Document, DocumentExpired, parse_document
from bazaar.identity.verifier import (
    IdentityVerifier,
    SanctionsHit,
    VerificationFailed,
    VerificationResult,
)

__all__ = [
    "Document",
    "DocumentExpired",
    "IdentityVerifier",
    "SanctionsHit",
    "VerificationFailed",
    "VerificationResult",
    "parse_document",
]
