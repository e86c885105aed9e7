"""The fixed sets of values of elevator retrofits: the stages, a household's vote."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ElevatorStage(models.TextChoices):
    """The stages of an elevator retrofit, in order; withdrawn can end any of them."""

    INTENTION = "intention", _("Intention")
    CONSENT = "consent", _("Owners' consent")
    DESIGN = "design", _("Design")
    PUBLIC_NOTICE = "public_notice", _("Public notice")
    APPROVAL = "approval", _("Approval")
    CONSTRUCTION = "construction", _("Construction")
    ACCEPTANCE = "acceptance", _("Acceptance")
    IN_SERVICE = "in_service", _("In service")
    WITHDRAWN = "withdrawn", _("Withdrawn")

    @classmethod
    def ordered(cls) -> list[str]:
        """The forward path, without withdrawn."""
        return [stage for stage in cls.values if stage != cls.WITHDRAWN]


# --- Votes and stage moves -------------------------------------------------------------------


class VoteChoice(models.TextChoices):
    """A household's answer (``policy.VOTE_*`` are its codes)."""

    AGREE = "agree", _("Agree")
    DISAGREE = "disagree", _("Disagree")
    ABSTAIN = "abstain", _("Abstain")
    ABSENT = "absent", _("Did not take part")


# --- The owners' money ------------------------------------------------------------------------


class PaymentSource(models.TextChoices):
    """Where a household's payment towards its share came from."""

    MAINTENANCE_FUND = "maintenance_fund", _("Housing maintenance fund")
    CASH = "cash", _("Cash")
    TRANSFER = "transfer", _("Bank transfer")
