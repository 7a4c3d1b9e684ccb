"""What the review workflow raises when it refuses an action, each with a message for the actor."""


class WorkflowError(Exception):
    """An action refused, with a message the actor can act on."""

    status_code = 409

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class ActionNotAllowed(WorkflowError):
    """The action does not apply to a case in this status (409)."""


class RoleNotAllowed(WorkflowError):
    """The actor's roles do not include this action (403)."""

    status_code = 403


class MissingInput(WorkflowError):
    """Something the action requires was not given or is not valid (shown next to the field)."""

    status_code = 400


class VersionConflict(WorkflowError):
    """Someone else changed the case since the actor loaded it (409)."""
