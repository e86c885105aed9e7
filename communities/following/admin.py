"""Subscriptions for city-level staff: the addresses are personal data, so only a superuser or
a city administrator (a user whose scope is the whole city) with the model's permissions sees
them; district staff never do, even of their own district. Nobody adds or edits one here (a
subscription exists only by its owner's double opt-in); staff may unsubscribe one, or delete it
on its owner's request."""

from django.contrib import admin
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from communities.core.admin import BaseAdmin
from communities.core.scoping import scope_for
from communities.following import services
from communities.following.models import Subscription


@admin.register(Subscription)
class SubscriptionAdmin(BaseAdmin):
    list_display = [
        "email",
        "target_name",
        "district",
        "language",
        "created_at",
        "confirmed_at",
        "unsubscribed_at",
    ]
    list_select_related = ["district", "community"]
    list_filter = [
        ("confirmed_at", admin.EmptyFieldListFilter),
        ("unsubscribed_at", admin.EmptyFieldListFilter),
        "district",
    ]
    search_fields = ["email"]
    readonly_fields = [
        "email",
        "district",
        "community",
        "language",
        "created_at",
        "confirmed_at",
        "unsubscribed_at",
        "alerted_at",
    ]
    fields = readonly_fields
    actions = ["unsubscribe"]

    @admin.display(description=_("follows"))
    def target_name(self, obj: Subscription) -> str:
        return obj.target.name

    def _city_level(self, request) -> bool:
        return scope_for(request.user).everything

    def has_module_permission(self, request):
        return self._city_level(request) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return self._city_level(request) and super().has_view_permission(request, obj)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return self._city_level(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._city_level(request) and super().has_delete_permission(request, obj)

    def has_import_permission(self, request):
        return False

    @admin.action(description=_("Unsubscribe the selected addresses"), permissions=["change"])
    def unsubscribe(self, request, queryset):
        count = 0
        for subscription in queryset:
            if subscription.unsubscribed_at is None:
                services.subscription_unsubscribe(subscription=subscription)
                count += 1
        self.message_user(
            request,
            gettext("Addresses unsubscribed: %(count)d.") % {"count": count},
        )
