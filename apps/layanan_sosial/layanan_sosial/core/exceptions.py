"""Engine errors, named and status-coded as Frappe's so REST clients see the same `exc_type`.

Each class carries the HTTP status the API layer answers with (frappe_compat §6.6).
"""

from __future__ import annotations


class LayananError(Exception):
    """Base of every expected engine error; `http_status` drives the API response."""

    http_status = 500
    exc_type: str | None = None  # Frappe's exception class name; defaults to the class name

    def __init__(
        self,
        message: str = "",
        *,
        field: str | None = None,
        hint: str | None = None,
        errors: list[dict[str, str]] | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.field = field
        self.hint = hint
        # Field-level details for forms: [{"field": ..., "message": ..., "row": ...}]
        self.errors = errors or ([{"field": field, "message": message}] if field else [])

    @property
    def type_name(self) -> str:
        return self.exc_type or type(self).__name__


class ValidationError(LayananError):
    http_status = 417


class MandatoryError(ValidationError):
    def __init__(self, message: str = "", *, fields: list[str] | None = None, **kw):
        super().__init__(message, **kw)
        self.fields = fields or []


class LinkValidationError(ValidationError):
    pass


class CancelledLinkError(LinkValidationError):
    pass


class TimestampMismatchError(ValidationError):
    pass


class DocstatusTransitionError(ValidationError):
    pass


class UpdateAfterSubmitError(ValidationError):
    pass


class CannotChangeConstantError(ValidationError):
    pass


class UniqueValidationError(ValidationError):
    pass


class LinkExistsError(ValidationError):
    pass


class NonNegativeError(ValidationError):
    pass


class CharacterLengthExceededError(ValidationError):
    pass


class InvalidEmailAddressError(ValidationError):
    pass


class DataError(ValidationError):
    pass


class FilterError(DataError):
    """Bad filter/field/order_by in a query: unknown field, bad operator, bad value."""


class MetaError(LayananError):
    """A DocType definition is broken; the message names the file, field and problem."""

    http_status = 500


class SchemaError(LayananError):
    """A schema change would lose data or cannot be applied."""

    http_status = 417


class DoesNotExistError(LayananError):
    http_status = 404


class DuplicateEntryError(LayananError):
    http_status = 409


class NameError_(LayananError):  # noqa: N801 - Frappe's class is called NameError
    http_status = 409
    exc_type = "NameError"


class PermissionError_(LayananError):  # noqa: N801 - Frappe's class is called PermissionError
    http_status = 403
    exc_type = "PermissionError"


class AuthenticationError(LayananError):
    http_status = 401


class TransactionFailedError(LayananError):
    """Commit refused: a write in this transaction failed, so it may only be rolled back."""

    http_status = 500


class BadRequestError(LayananError):
    """Malformed request (bad JSON, wrong content): HTTP 400."""

    http_status = 400
    exc_type = "ValidationError"


class CSRFTokenError(LayananError):
    http_status = 400


class PayloadTooLargeError(LayananError):
    http_status = 413


class TooManyRequestsError(LayananError):
    http_status = 429


class SiteError(LayananError):
    """Site missing, misconfigured or its database unreachable (a CLI/operator problem)."""

    http_status = 503


class SiteNotFoundError(SiteError):
    """No site answers for this request's Host and there is no default site."""

    http_status = 404


class WorkflowTransitionError(ValidationError):
    """No such action from the document's state for this user."""


class WorkflowPermissionError(ValidationError):
    """The workflow's own rules (roles, creator rules, edit roles) refuse the change."""


class WorkflowStateError(ValidationError):
    pass
