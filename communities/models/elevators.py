"""Elevator retrofits (既有住宅加装电梯): one elevator for one entrance unit of a building."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from communities import policy
from communities.choices import ElevatorStage

from .places import Building

MONEY = {"max_digits": 12, "decimal_places": 2}

# The date field recording when each stage was reached, in stage order.
STAGE_DATE_FIELDS = {
    ElevatorStage.INTENTION: "intention_on",
    ElevatorStage.CONSENT: "consent_on",
    ElevatorStage.DESIGN: "design_on",
    ElevatorStage.PUBLIC_NOTICE: "notice_on",
    ElevatorStage.APPROVAL: "approved_on",
    ElevatorStage.CONSTRUCTION: "construction_on",
    ElevatorStage.ACCEPTANCE: "accepted_on",
    ElevatorStage.IN_SERVICE: "in_service_on",
    ElevatorStage.WITHDRAWN: "withdrawn_on",
}


class ElevatorRetrofitQuerySet(models.QuerySet):
    def in_service(self) -> "ElevatorRetrofitQuerySet":
        return self.filter(stage=ElevatorStage.IN_SERVICE)


class ElevatorRetrofit(models.Model):
    building = models.ForeignKey(
        Building,
        on_delete=models.PROTECT,
        related_name="elevator_retrofits",
        verbose_name=_("building"),
    )
    entrance_unit = models.PositiveSmallIntegerField(
        _("entrance unit"),
        validators=[MinValueValidator(1)],
        help_text=_("For example 2 for 2单元."),
    )
    storeys_served = models.PositiveSmallIntegerField(
        _("storeys served"), validators=[MinValueValidator(2)]
    )
    stage = models.CharField(
        _("stage"), max_length=20, choices=ElevatorStage, default=ElevatorStage.INTENTION
    )
    intention_on = models.DateField(_("intention registered on"), null=True, blank=True)
    consent_on = models.DateField(_("consent reached on"), null=True, blank=True)
    design_on = models.DateField(_("design started on"), null=True, blank=True)
    notice_on = models.DateField(_("public notice started on"), null=True, blank=True)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    construction_on = models.DateField(_("construction started on"), null=True, blank=True)
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    in_service_on = models.DateField(_("in service since"), null=True, blank=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    total_cost = models.DecimalField(_("total cost (yuan)"), default=Decimal("0"), **MONEY)
    subsidy = models.DecimalField(_("government subsidy (yuan)"), default=Decimal("0"), **MONEY)
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)
    history = HistoricalRecords()

    objects = ElevatorRetrofitQuerySet.as_manager()

    class Meta:
        verbose_name = _("elevator retrofit")
        verbose_name_plural = _("elevator retrofits")
        ordering = ["building", "entrance_unit"]
        indexes = [
            # Elevators in service (headline figure) and ?stage= filters.
            models.Index(fields=["stage"], name="elevator_stage"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["building", "entrance_unit"],
                condition=~Q(stage=ElevatorStage.WITHDRAWN),
                name="%(app_label)s_%(class)s_one_active_per_unit",
                violation_error_message=_(
                    "This entrance unit already has an elevator retrofit under way."
                ),
            ),
            models.CheckConstraint(
                condition=Q(storeys_served__gte=2),
                name="%(app_label)s_%(class)s_at_least_two_storeys",
                violation_error_message=_("An elevator serves at least 2 storeys."),
            ),
            models.CheckConstraint(
                condition=Q(total_cost__gte=0) & Q(subsidy__gte=0),
                name="%(app_label)s_%(class)s_money_not_negative",
                violation_error_message=_("Cost and subsidy cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(subsidy__lte=models.F("total_cost")),
                name="%(app_label)s_%(class)s_subsidy_within_cost",
                violation_error_message=_("The subsidy cannot exceed the total cost."),
            ),
        ]

    def __str__(self) -> str:
        return _("%(building)s, unit %(unit)s") % {
            "building": self.building,
            "unit": self.entrance_unit,
        }

    def clean(self) -> None:
        errors: dict[str, list] = {}

        def add(field: str, message) -> None:
            errors.setdefault(field, []).append(message)

        building = self.building if self.building_id else None
        if building is not None:
            if self.entrance_unit and self.entrance_unit > building.entrance_units:
                add(
                    "entrance_unit",
                    _("Building %(building)s has only %(count)s entrance unit(s).")
                    % {"building": building.label, "count": building.entrance_units},
                )
            if self.storeys_served and self.storeys_served > building.storeys:
                add(
                    "storeys_served",
                    _("Building %(building)s has only %(count)s storeys.")
                    % {"building": building.label, "count": building.storeys},
                )
            if building.storeys < 2:
                add("building", _("An elevator needs a building of at least 2 storeys."))
            if policy.blocked_by_reinforce_first(
                grade=building.safety_grade,
                is_reinforcement=False,
                started=policy.elevator_work_started(self.stage),
            ):
                add(
                    "stage",
                    _(
                        "Reinforce first: building %(building)s is graded %(grade)s; no elevator "
                        "may be built until it is reinforced and re-appraised A or B."
                    )
                    % {"building": building.label, "grade": building.safety_grade},
                )
        for field, message in policy.stage_date_errors(
            stage=self.stage,
            dates={stage: getattr(self, field) for stage, field in STAGE_DATE_FIELDS.items()},
            fields=STAGE_DATE_FIELDS,
        ):
            add(field, message)
        if errors:
            raise ValidationError(errors)
