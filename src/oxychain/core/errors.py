"""Domain errors: each carries a reason a person can read.

The message is an English template with ``{placeholders}`` filled from ``params``;
the edge looks the template up in the Hindi catalogue and fills it the same way.
``code`` is a stable key for API clients.
"""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the domain refused the request."""

    code = "domain_error"

    def __init__(self, message: str, *, code: str | None = None, **params: object) -> None:
        self.template = message
        self.params = params
        self.message = _fill(message, params)
        super().__init__(self.message)
        if code is not None:
            self.code = code


class InvalidInput(DomainError):
    """Input that no rule can accept (wrong range, wrong type, unknown value)."""

    code = "invalid_input"


class NotFound(DomainError):
    code = "not_found"


class Forbidden(DomainError):
    code = "forbidden"


class Conflict(DomainError):
    """The request clashes with the current state (duplicate, illegal transition)."""

    code = "conflict"


def _fill(template: str, params: dict[str, object]) -> str:
    """The template with its placeholders filled; left as it is when it has none to fill."""
    if not params:
        return template
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return template


class FileRejected(InvalidInput):
    """An uploaded file with row-level errors; nothing of it was stored.

    ``rows`` holds (row, column, message) for each problem, as a person counts rows
    in the sheet (the header is row 1).
    """

    code = "file_rejected"

    def __init__(
        self, message: str, rows: list[tuple[int | None, str | None, str]], **params: object
    ) -> None:
        super().__init__(message, **params)
        self.rows = rows


class TooLarge(InvalidInput):
    code = "too_large"
