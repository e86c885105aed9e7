"""The admin of objections to elevator retrofits' notices (the shared behaviour is
``communities/works/objection_admin.py``); the retrofit's page lists them inline."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from communities.elevators.objection_models import ElevatorObjection
from communities.works.objection_admin import ObjectionAdmin, ObjectionInline


class ElevatorObjectionInline(ObjectionInline):
    model = ElevatorObjection
    verbose_name_plural = _("objections to the notice")


@admin.register(ElevatorObjection)
class ElevatorObjectionAdmin(ObjectionAdmin):
    target = "retrofit"
    extra_fields = ("household",)
    list_display = ["filed_on", "retrofit", "status", "answered", "excerpt"]
    list_filter = [*ObjectionAdmin.list_filter, "retrofit__building__community__district"]
    list_select_related = ["retrofit__building__community"]
    district_columns = ()
