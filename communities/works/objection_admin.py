"""The admin of objections to a notice, shared by both kinds (design plans here, elevator
retrofits in ``communities/elevators/objection_admin.py``).

Residents file objections (site and API); staff never add, edit or delete one here. They publish
or hide them (the list's actions, hiding with a reason) and answer each on its page: the answer
goes through ``objection_answer`` and the approval of the notice waits until every objection has
one. The notice's own page lists its objections (an inline linking here).
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.helpers import ActionForm
from django.db.models import QuerySet
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from communities.core.admin import BaseAdmin, apply_to_selected, day
from communities.core.clock import today
from communities.works.models.objections import DesignPlanObjection
from communities.works.objections import objection_answer, objection_moderate

MODERATION_FIELDS = (
    "status",
    "moderation_reason",
    "moderated_at",
    "moderated_by",
    "answered_on",
    "answered_by",
)


class ObjectionActionForm(ActionForm):
    reason = forms.CharField(
        label=_("Reason for hiding"),
        required=False,
        max_length=300,
        help_text=_("Hide: why the text is not shown to the public."),
    )


class ObjectionForm(forms.ModelForm):
    """The answer is the one field staff write here; its date is the day it is given."""

    def clean(self):
        cleaned = super().clean()
        if "answer" in self.changed_data and (cleaned.get("answer") or "").strip():
            self.instance.answered_on = today()
        return cleaned


class AnsweredFilter(admin.SimpleListFilter):
    title = _("answered")
    parameter_name = "answered"

    def lookups(self, request, model_admin):
        return [("yes", _("Answered")), ("no", _("Not answered yet"))]

    def queryset(self, request, queryset: QuerySet) -> QuerySet:
        if self.value() == "yes":
            return queryset.filter(answered_on__isnull=False)
        if self.value() == "no":
            return queryset.filter(answered_on__isnull=True)
        return queryset


class ObjectionAdmin(BaseAdmin):
    """Shared by both kinds; a subclass names its ``target`` field and its columns."""

    form = ObjectionForm
    action_form = ObjectionActionForm
    actions = ["publish_selected", "hide_selected"]
    list_filter = ["status", AnsweredFilter]
    search_fields = ["text", "answer", "name", "room", "phone"]
    service_state_fields = MODERATION_FIELDS
    service_state_moves = _("the actions of the list (publish, hide) and the answer")
    target: str

    def get_fields(self, request, obj=None):
        return [
            self.target,
            "filed_at",
            ("name", "room", "phone"),
            *self.extra_fields,
            "text",
            ("status", "moderation_reason"),
            ("moderated_at", "moderated_by"),
            "answer",
            ("answered_on", "answered_by"),
        ]

    extra_fields: tuple[str, ...] = ()

    def get_readonly_fields(self, request, obj=None):
        return [
            self.target,
            "filed_at",
            "name",
            "room",
            "phone",
            *self.extra_fields,
            "text",
            *MODERATION_FIELDS,
        ]

    def has_add_permission(self, request) -> bool:
        return False  # residents file them, on the site or through the API

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # an objection stays on record: it is answered, or hidden with a reason

    def save_model(self, request, obj, form, change):
        if "answer" in form.changed_data:
            objection_answer(objection=obj, answer=obj.answer, by=request.user)

    @admin.display(description=_("filed on"), ordering="filed_at")
    def filed_on(self, objection) -> str:
        return day(objection.filed_at)

    @admin.display(description=_("objection"))
    def excerpt(self, objection) -> str:
        return Truncator(objection.text).chars(60)

    @admin.display(description=_("answered"), boolean=True, ordering="answered_on")
    def answered(self, objection) -> bool:
        return objection.is_answered

    @admin.action(description=_("Publish the selected objections"), permissions=["change"])
    def publish_selected(self, request, queryset):
        apply_to_selected(
            self,
            request,
            queryset,
            lambda objection: objection_moderate(
                objection=objection, publish=True, by=request.user
            ),
            gettext("%(count)s objection(s) published."),
        )

    @admin.action(
        description=_("Hide the selected objections (give the reason)"), permissions=["change"]
    )
    def hide_selected(self, request, queryset):
        form = self.action_form(request.POST)
        form.is_valid()
        reason = (form.cleaned_data.get("reason") or "").strip()
        apply_to_selected(
            self,
            request,
            queryset,
            lambda objection: objection_moderate(
                objection=objection, publish=False, reason=reason, by=request.user
            ),
            gettext("%(count)s objection(s) hidden."),
        )


class ObjectionInline(admin.TabularInline):
    """A notice's objections on its page, read-only, each linking to its own page to answer."""

    fields = ["filed_at", "status", "text", "answer", "answered_on"]
    readonly_fields = fields
    ordering = ["filed_at", "id"]
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class DesignPlanObjectionInline(ObjectionInline):
    model = DesignPlanObjection
    verbose_name_plural = _("objections to the notice")


@admin.register(DesignPlanObjection)
class DesignPlanObjectionAdmin(ObjectionAdmin):
    target = "plan"
    extra_fields = ("building",)
    list_display = ["filed_on", "plan_title", "status", "answered", "excerpt"]
    list_filter = [*ObjectionAdmin.list_filter, "plan__community__district"]
    list_select_related = ["plan"]
    district_columns = ()

    @admin.display(description=_("design plan"), ordering="plan__title")
    def plan_title(self, objection) -> str:
        # Plans' titles run long: the list fits a 1366 px screen with the title cut.
        return Truncator(str(objection.plan)).chars(36)
