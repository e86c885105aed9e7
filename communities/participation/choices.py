"""The fixed sets of values of participation: the channel a proposal or rating came by, and a
proposal's status."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# --- Choices ----------------------------------------------------------------------------------


class Channel(models.TextChoices):
    """How residents' voices were gathered: a proposal's support, a rating."""

    SURVEY = "survey", _("Questionnaire survey")
    MEETING = "meeting", _("Residents' meeting")
    WECHAT = "wechat", _("WeChat")
    GRID_VISIT = "grid_visit", _("Grid inspector's door-to-door visit")


class ProposalStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Under consideration")
    ADOPTED = "adopted", _("Adopted")
    DECLINED = "declined", _("Declined")
