"""Sealed bid covers (see ``envelope`` for the format): what the services, the CLI and the
demo use, in one place."""

from oxychain.tendering.sealing.envelope import (
    Share,
    check_envelope,
    decrypt_share,
    open_cover,
    seal_cover,
)
from oxychain.tendering.sealing.errors import (
    BadKeyError,
    CoverTamperedError,
    EnvelopeMismatchError,
    EnvelopeTamperedError,
    InvalidSealRequestError,
    MalformedEnvelopeError,
    NotEnoughSharesError,
    SealError,
    ShareDecryptionError,
    UnsupportedVersionError,
    WrongShareError,
)
from oxychain.tendering.sealing.keys import (
    generate_opener_keypair,
    load_private_key,
    load_public_key,
)
from oxychain.tendering.sealing.validation import COVERS, MAX_OPENERS, VERSION, envelope_hash

__all__ = [
    "COVERS",
    "MAX_OPENERS",
    "VERSION",
    "BadKeyError",
    "CoverTamperedError",
    "EnvelopeMismatchError",
    "EnvelopeTamperedError",
    "InvalidSealRequestError",
    "MalformedEnvelopeError",
    "NotEnoughSharesError",
    "SealError",
    "Share",
    "ShareDecryptionError",
    "UnsupportedVersionError",
    "WrongShareError",
    "check_envelope",
    "decrypt_share",
    "envelope_hash",
    "generate_opener_keypair",
    "load_private_key",
    "load_public_key",
    "open_cover",
    "seal_cover",
]
