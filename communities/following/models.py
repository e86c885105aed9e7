"""Subscriptions to a community's or a district's news by email (double opt-in, no account)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from communities.core.history import HistoricalRecords
from communities.places.models import Community, District


class SubscriptionQuerySet(models.QuerySet):
    def active(self) -> "SubscriptionQuerySet":
        """Confirmed and not unsubscribed: the ones alerts go to."""
        return self.filter(confirmed_at__isnull=False, unsubscribed_at__isnull=True)


class Subscription(models.Model):
    """One address following one community (``community`` set) or one whole district.

    ``district`` is always set, the community's own for a community: the subscription is
    district-scoped through it (core.scoping), so a district's staff never reach another
    district's subscribers. The address is personal data: never shown in public.
    """

    # Scope (core.scoping): the lookup from here to the district.
    district_path = "district"

    email = models.EmailField(_("email address"))
    district = models.ForeignKey(
        District,
        on_delete=models.CASCADE,
        related_name="subscriptions",
        verbose_name=_("district"),
    )
    community = models.ForeignKey(
        Community,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="subscriptions",
        verbose_name=_("community"),
        help_text=_("Empty: the whole district."),
    )
    language = models.CharField(_("language"), max_length=10, default="zh-hans")
    created_at = models.DateTimeField(_("subscribed at"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed at"), null=True, blank=True)
    alerted_at = models.DateTimeField(
        _("news sent up to"),
        null=True,
        blank=True,
        help_text=_("The next alert carries the news recorded after this moment."),
    )

    # Who unsubscribed or erased what, and when (staff deletions on a resident's request).
    history = HistoricalRecords(excluded_fields=["alerted_at"])

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        app_label = "communities"
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The admin's list, newest first (Meta.ordering).
            models.Index(fields=["-created_at", "-id"], name="subscription_created"),
            # send_alerts: the active subscriptions (confirmed, not unsubscribed), by target.
            models.Index(
                fields=["district", "community"],
                condition=Q(confirmed_at__isnull=False, unsubscribed_at__isnull=True),
                name="subscription_active_target",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["email", "community"],
                condition=Q(community__isnull=False),
                name="%(app_label)s_%(class)s_one_per_community",
                violation_error_message=_("This address already follows this community."),
            ),
            models.UniqueConstraint(
                fields=["email", "district"],
                condition=Q(community__isnull=True),
                name="%(app_label)s_%(class)s_one_per_district",
                violation_error_message=_("This address already follows this district."),
            ),
        ]

    def __str__(self) -> str:
        return _("%(email)s follows %(target)s") % {"email": self.email, "target": self.target}

    @property
    def target(self) -> Community | District:
        return self.community if self.community_id else self.district

    @property
    def is_active(self) -> bool:
        return self.confirmed_at is not None and self.unsubscribed_at is None

    def clean(self) -> None:
        self.email = (self.email or "").strip().lower()
        if (
            self.community_id
            and self.district_id
            and self.community.district_id != self.district_id
        ):
            raise ValidationError({"community": _("The community lies in another district.")})
