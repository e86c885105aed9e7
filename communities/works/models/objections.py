"""Residents' objections to a public notice (公示异议): to a design plan here, to an elevator
retrofit in ``communities/elevators/objection_models.py``.

Why two tables over one abstract base: an objection belongs to exactly one notice, and the two
notices live in two parts where imports point one way (elevators → works). One table with a
generic target would lose the foreign keys (and with them the district scope path, cascades and
the database's guarantee that the target exists); a table in ``participation`` could reference
both, but the approvals in elevators and works could then not consult it. So the shape and
rules are written once here (fields, constraints, moderation and answer), each part keeps its
own table with a real foreign key, and each approval counts its own unanswered objections.

The filer's name, room and phone are personal data: staff of the district see them, the public
never does. The text is public once staff publish it; the answer is published with it.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.core.bounds import BoundedDateField
from communities.core.constraints import CheckedInOneQuery
from communities.core.history import HistoricalRecords
from communities.places.models import Building
from communities.works.choices import ObjectionStatus
from communities.works.models.plans import DesignPlan

TEXT_MAX = 2000
ANSWER_MAX = 4000

objection_phone_validator = RegexValidator(
    r"^\+?[0-9][0-9 \-]{4,28}[0-9]$", _("Enter a phone number of digits, spaces and dashes.")
)


class ObjectionQuerySet(models.QuerySet):
    def published(self) -> "ObjectionQuerySet":
        """What the public reads: published objections (with their answers)."""
        return self.filter(status=ObjectionStatus.PUBLISHED)

    def unanswered(self) -> "ObjectionQuerySet":
        """Objections staff have not answered yet: each blocks its notice's approval."""
        return self.filter(answered_on__isnull=True)


class Objection(CheckedInOneQuery, models.Model):
    """What every objection has: who filed it (private), its text (public once published),
    its moderation and the staff's answer."""

    name = models.CharField(_("name"), max_length=50)
    room = models.CharField(
        _("room"), max_length=30, help_text=_("As on the door, for example 301.")
    )
    phone = models.CharField(_("phone"), max_length=30, validators=[objection_phone_validator])
    text = models.TextField(_("objection"), validators=[MaxLengthValidator(TEXT_MAX)])
    status = models.CharField(
        _("moderation"), max_length=10, choices=ObjectionStatus, default=ObjectionStatus.PENDING
    )
    moderation_reason = models.CharField(
        _("reason for hiding"),
        max_length=300,
        blank=True,
        help_text=_("Why the text is not shown to the public."),
    )
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("moderated by"),
    )
    answer = models.TextField(
        _("answer"),
        blank=True,
        validators=[MaxLengthValidator(ANSWER_MAX)],
        help_text=_("Published with the notice, under the objection."),
    )
    answered_on = BoundedDateField(_("answered on"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    filed_at = models.DateTimeField(_("filed at"), default=timezone.now)

    objects = ObjectionQuerySet.as_manager()

    # The fields only staff of the district read (API, admin); never on a public page.
    PERSONAL_FIELDS = ("name", "room", "phone")

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=ObjectionStatus.HIDDEN) | ~Q(moderation_reason=""),
                name="%(app_label)s_%(class)s_hidden_needs_reason",
                violation_error_message=_("Give the reason for hiding the objection."),
            ),
            models.CheckConstraint(
                condition=(Q(answer="") & Q(answered_on__isnull=True))
                | (~Q(answer="") & Q(answered_on__isnull=False)),
                name="%(app_label)s_%(class)s_answer_with_date",
                violation_error_message=_("An answer has its date, and a date its answer."),
            ),
        ]

    def __str__(self) -> str:
        return _("Objection %(id)s of %(filed)s") % {
            "id": self.pk or "—",
            "filed": timezone.localtime(self.filed_at).date().isoformat() if self.filed_at else "—",
        }

    @property
    def is_answered(self) -> bool:
        return self.answered_on is not None

    def clean(self) -> None:
        errors: dict[str, str] = {}
        for field in ("name", "room", "phone", "text", "answer", "moderation_reason"):
            setattr(self, field, (getattr(self, field) or "").strip())
        if not self.text:
            errors["text"] = _("Write what you object to.")
        if self.status == ObjectionStatus.HIDDEN and not self.moderation_reason:
            errors["moderation_reason"] = _("Give the reason for hiding the objection.")
        if self.answer and self.answered_on is None:
            errors["answered_on"] = _("Give the date of the answer.")
        if self.answered_on and not self.answer:
            errors["answer"] = _("Write the answer.")
        if self.answered_on and self.answered_on > timezone.localdate():
            errors["answered_on"] = _("This date is in the future.")
        if errors:
            raise ValidationError(errors)


class DesignPlanObjection(Objection):
    """An objection of a resident of the community to its design plan under notice."""

    # Scope (core.scoping): the lookup from here to the district.
    district_path = "plan__community__district"

    plan = models.ForeignKey(
        DesignPlan,
        on_delete=models.CASCADE,
        related_name="objections",
        verbose_name=_("design plan"),
    )
    # RESTRICT, not PROTECT: a building with objections on record is not deleted by itself,
    # but goes with its community (which takes the plan and its objections along).
    building = models.ForeignKey(
        Building,
        on_delete=models.RESTRICT,
        related_name="+",
        verbose_name=_("building"),
        help_text=_("The filer's building, in the plan's community."),
    )
    history = HistoricalRecords()

    class Meta(Objection.Meta):
        app_label = "communities"
        verbose_name = _("objection to a design plan")
        verbose_name_plural = _("objections to design plans")
        # A plan's objections in the order filed: the public list, the admin inline.
        ordering = ["plan_id", "filed_at", "id"]
        indexes = [
            # A plan's objections in filing order (the public list and the admin inline), and
            # its unanswered count at approval (plan_id = … AND answered_on IS NULL).
            models.Index(fields=["plan", "filed_at", "id"], name="plan_objection_filed"),
            # The admin's moderation queue across the city (?status=pending).
            models.Index(fields=["status"], name="plan_objection_status"),
        ]

    def clean(self) -> None:
        errors: dict[str, str] = {}
        try:
            super().clean()
        except ValidationError as exc:
            errors.update(exc.message_dict)
        if (
            self.plan_id
            and self.building_id
            and self.building.community_id != self.plan.community_id
        ):
            errors["building"] = _("This building is not in the plan's community.")
        if errors:
            raise ValidationError(errors)
