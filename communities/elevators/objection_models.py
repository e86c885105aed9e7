"""Residents' objections to an elevator retrofit's public notice (公示异议).

The shape, rules and moderation are shared with design plans' objections
(``communities/works/models/objections.py``, which says why there are two tables); this is the
retrofit's own table, imported by ``elevators/models.py`` so Django registers it.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from communities.core.history import HistoricalRecords
from communities.works.models.objections import Objection


class ElevatorObjection(Objection):
    """An objection of a resident of the entrance unit to its elevator retrofit under notice.

    ``household`` is the unit's household whose room the filer gave, when the unit's
    households are entered (the service then refuses a room that is not one of them).
    """

    # Scope (core.scoping): the lookup from here to the district.
    district_path = "retrofit__building__community__district"

    retrofit = models.ForeignKey(
        "communities.ElevatorRetrofit",
        on_delete=models.CASCADE,
        related_name="objections",
        verbose_name=_("elevator retrofit"),
    )
    household = models.ForeignKey(
        "communities.Household",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("household"),
        help_text=_("The household of the room given, when the unit's households are entered."),
    )
    history = HistoricalRecords()

    class Meta(Objection.Meta):
        app_label = "communities"
        verbose_name = _("objection to an elevator retrofit")
        verbose_name_plural = _("objections to elevator retrofits")
        # A retrofit's objections in the order filed: the public list, the admin inline.
        ordering = ["retrofit_id", "filed_at", "id"]
        indexes = [
            # A retrofit's objections in filing order (the public list and the admin inline),
            # and its unanswered count at approval (retrofit_id = … AND answered_on IS NULL).
            models.Index(fields=["retrofit", "filed_at", "id"], name="elevator_objection_filed"),
            # The admin's moderation queue across the city (?status=pending).
            models.Index(fields=["status"], name="elevator_objection_status"),
        ]

    def clean(self) -> None:
        errors: dict = {}
        try:
            super().clean()
        except ValidationError as exc:
            errors.update(exc.message_dict)
        if self.household_id and self.retrofit_id:
            household, retrofit = self.household, self.retrofit
            if (household.building_id, household.entrance_unit) != (
                retrofit.building_id,
                retrofit.entrance_unit,
            ):
                errors["household"] = _("This household is not in the retrofit's entrance unit.")
        if errors:
            raise ValidationError(errors)
