"""Why a sealed cover, a share or a key is refused; each ``code`` is also seal.js's."""

from __future__ import annotations

from oxychain.core.errors import DomainError


class SealError(DomainError):
    code = "seal_error"


class UnsupportedVersionError(SealError):
    code = "seal_unsupported_version"


class MalformedEnvelopeError(SealError):
    code = "seal_malformed"


class InvalidSealRequestError(SealError):
    code = "seal_invalid_request"


class BadKeyError(SealError):
    code = "seal_bad_key"


class EnvelopeTamperedError(SealError):
    """The stored hash (or the bidder's receipt) does not match the envelope's content."""

    code = "seal_envelope_tampered"


class EnvelopeMismatchError(SealError):
    """A sound envelope, but not for this tender, bidder, cover, committee or opener."""

    code = "seal_envelope_mismatch"


class ShareDecryptionError(SealError):
    """The share was not sealed to this key, or its epk/iv/ct was altered."""

    code = "seal_share_decryption_failed"


class WrongShareError(SealError):
    """A released share does not match its commitment, opener or envelope."""

    code = "seal_wrong_share"


class NotEnoughSharesError(SealError):
    code = "seal_not_enough_shares"


class CoverTamperedError(SealError):
    """AES-GCM refused the cover: its ciphertext, iv or binding was altered."""

    code = "seal_cover_tampered"
