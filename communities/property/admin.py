"""Admin for property services (物业服务), including red property (红色物业)."""

from datetime import date

from django.contrib import admin
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.core.admin import BaseAdmin, day, period
from communities.property.models import PropertyService
from communities.property.selectors import RENEWAL_DAYS

# Renewal reminders (``PropertyService.objects.ending_within``), as the API's and the desk's.


class InForceFilter(admin.SimpleListFilter):
    """Services by their contract period relative to today."""

    title = _("in force")
    parameter_name = "in_force"

    def lookups(self, request, model_admin):
        return [
            ("current", _("In force today")),
            ("upcoming", _("Not yet started")),
            ("ended", _("Ended")),
            ("renewal", _("Ending within 60 days, no successor")),
        ]

    def queryset(self, request, queryset: QuerySet) -> QuerySet:
        today = date.today()
        match self.value():
            case "current":
                return queryset.covering(today)
            case "upcoming":
                return queryset.filter(contract_start__gt=today)
            case "ended":
                return queryset.filter(Q(contract_end__lt=today))
            case "renewal":
                return queryset.ending_within(RENEWAL_DAYS, timezone.localdate())
        return queryset


@admin.register(PropertyService)
class PropertyServiceAdmin(BaseAdmin):
    list_display = [
        "provider_name",
        "community",
        "district",
        "mode",
        "is_red_property",
        "contract_period",
        "trial_end_day",
        "fee_per_m2_month",
        "in_force",
    ]
    list_filter = [InForceFilter, "mode", "is_red_property", "community__district"]
    search_fields = ["provider_name", "contact_name", "contact_phone", "community__name"]
    autocomplete_fields = ["community"]
    date_hierarchy = "contract_start"
    fieldsets = [
        (None, {"fields": ["community", "mode", "is_red_property"]}),
        (_("Provider"), {"fields": ["provider_name", "contact_name", "contact_phone"]}),
        (
            _("Contract"),
            {"fields": [("contract_start", "contract_end"), "trial_end", "fee_per_m2_month"]},
        ),
    ]

    label_select_related = ("community",)

    def get_queryset(self, request) -> QuerySet:
        # str(service) names its community; the changelist shows the district too. (With
        # select_related here, list_select_related is ignored.)
        return super().get_queryset(request).select_related("community__district")

    @admin.display(description=_("district"), ordering="community__district__code")
    def district(self, service: PropertyService):
        return service.community.district

    @admin.display(description=_("contract period"), ordering="contract_start")
    def contract_period(self, service: PropertyService) -> str:
        return period(service.contract_start, service.contract_end)

    @admin.display(description=_("trial period ends"), ordering="trial_end")
    def trial_end_day(self, service: PropertyService) -> str:
        return day(service.trial_end)

    @admin.display(description=_("in force today"), boolean=True)
    def in_force(self, service: PropertyService) -> bool:
        return service.covers(date.today())
