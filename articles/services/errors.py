"""The refusal every service can raise for the state of what it changes (the API answers 409)."""

from django.core.exceptions import ValidationError


class WorkflowError(ValidationError):
    """The object's workflow state forbids the step: publish a retracted article, change a
    follow-up that is done (the API answers 409 Conflict)."""
