"""The one domain error, and the small helpers every part's services share.

``WrongState`` is what a service raises when the record's current state does not allow the
move asked for: a stage whose conditions are not met, a repair request moved from the wrong
status, a proposal already decided, a plan not in its notice. Nothing was saved. It is a
``ValidationError``, so forms and the admin show its message as they show any refusal; the API
answers it with 409 Conflict (``communities.core.api.base.raise_api_error``), listing the unmet
conditions when the service named them.
"""

from django.core.exceptions import ValidationError
from django.db.models import Model


class WrongState(ValidationError):
    """The record's state does not allow this; ``str()`` says why in the active language.

    ``unmet`` lists the conditions a move needs and the record does not meet, each with a
    stable ``code`` and a translated ``message`` (``elevators.policy.UnmetCondition``)."""

    def __init__(self, message, *, code: str = "wrong_state", unmet=()):
        self.unmet = list(unmet)
        super().__init__(message, code=code)

    @property
    def codes(self) -> list[str]:
        return [condition.code for condition in self.unmet]

    def __str__(self) -> str:
        return " ".join(self.messages)


def copy_saved_fields(target: Model, source: Model) -> None:
    """Bring the caller's instance up to date with what a service saved, without a query."""
    for field in type(source)._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))
