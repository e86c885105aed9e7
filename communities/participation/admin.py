"""Admin for residents' participation: proposals (点菜), design plans (炒菜) and ratings (评菜).

Decisions are actions that go through ``communities.participation.services``, as the API's do:
adopting or declining a proposal needs ``decide_proposal``, putting a plan up for notice or
approving it ``approve_designplan``. Status and decision fields are never edited by hand. The
ratings' page links to the satisfaction figures (``selectors_participation``).
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from communities.core.admin import BaseAdmin, apply_to_selected, day
from communities.participation.choices import ProposalStatus
from communities.participation.models import Proposal, Rating
from communities.participation.selectors import city_satisfaction, satisfied_condition
from communities.participation.services import (
    proposal_adopt,
    proposal_decline,
    rating_set_comment_hidden,
)
from communities.places.models import District
from communities.works.models.items import RenovationItem

# --- Proposals (点菜) --------------------------------------------------------------------------


class ProposalActionForm(ActionForm):
    """The action bar, with what the decisions need."""

    item = forms.IntegerField(
        label=_("Item id"),
        required=False,
        min_value=1,
        help_text=_("Adopt into an existing item: its id (an item of the same community)."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        help_text=_("Decline: the reason the public will read."),
    )
    decided_on = forms.DateField(
        label=_("Decided on"), required=False, help_text=_("Default: today (YYYY-MM-DD).")
    )


@admin.register(Proposal)
class ProposalAdmin(BaseAdmin):
    action_form = ProposalActionForm
    list_display = [
        "title",
        "community",
        "kind",
        "supporters",
        "channel",
        "proposed",
        "status",
        "fate",
        "decided",
    ]
    list_filter = [
        "status",
        "channel",
        "kind__category",
        "kind",
        "community__district",
        "community__renovation_year",
    ]
    list_select_related = ["community", "kind", "item"]
    search_fields = ["title", "description", "community__name"]
    autocomplete_fields = ["community", "kind"]
    date_hierarchy = "submitted_on"
    actions = ["adopt_as_new_items", "adopt_into_item", "decline_selected"]
    decision_fields = ["status", "item", "decided_on", "decided_by", "decline_reason"]
    readonly_fields = [*decision_fields, "created_at", "updated_at"]
    # A revert never restores the decision: it is taken only with the list's actions.
    service_state_fields = tuple(decision_fields)
    service_state_moves = _("the actions of the list (adopt, decline)")
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "community",
                    "kind",
                    "title",
                    "description",
                    ("supporters", "channel"),
                    "submitted_on",
                ]
            },
        ),
        (_("Decision"), {"fields": decision_fields}),
        (_("Record"), {"fields": [("created_at", "updated_at")]}),
    ]

    def has_decide_permission(self, request) -> bool:
        return request.user.has_perm("communities.decide_proposal")

    @admin.display(description=_("proposed on"), ordering="submitted_on")
    def proposed(self, proposal: Proposal) -> str:
        return day(proposal.submitted_on)

    @admin.display(description=_("decided on"), ordering="decided_on")
    def decided(self, proposal: Proposal) -> str:
        return day(proposal.decided_on)

    @admin.display(description=_("what became of it"))
    def fate(self, proposal: Proposal) -> str:
        if proposal.status == ProposalStatus.ADOPTED:
            return format_html(
                '<a href="{}">{}</a> · {} {}%',
                reverse("admin:communities_renovationitem_change", args=[proposal.item_id]),
                proposal.item.title,
                proposal.item.get_status_display(),
                proposal.item.progress,
            )
        if proposal.status == ProposalStatus.DECLINED:
            return proposal.decline_reason
        return self.get_empty_value_display()

    def _decided_on(self, request):
        form = self.action_form(request.POST)
        form.is_valid()
        return form.cleaned_data.get("decided_on"), form

    @admin.action(
        description=_("Adopt: each becomes a new renovation item"), permissions=["decide"]
    )
    def adopt_as_new_items(self, request, queryset):
        on, _form = self._decided_on(request)
        apply_to_selected(
            self,
            request,
            queryset,
            lambda proposal: proposal_adopt(proposal=proposal, by=request.user, on=on),
            gettext("%(count)s proposal(s) adopted as new items."),
        )

    @admin.action(description=_("Adopt into the existing item given by id"), permissions=["decide"])
    def adopt_into_item(self, request, queryset):
        on, form = self._decided_on(request)
        item_id = form.cleaned_data.get("item")
        item = RenovationItem.objects.filter(pk=item_id).first() if item_id else None
        if item is None:
            self.message_user(
                request, gettext("Give the id of the item to adopt into."), messages.ERROR
            )
            return
        apply_to_selected(
            self,
            request,
            queryset,
            lambda proposal: proposal_adopt(proposal=proposal, item=item, by=request.user, on=on),
            gettext("%(count)s proposal(s) adopted into “%(item)s”."),
            item=item.title,
        )

    @admin.action(description=_("Decline, with the reason given"), permissions=["decide"])
    def decline_selected(self, request, queryset):
        on, form = self._decided_on(request)
        reason = (form.cleaned_data.get("reason") or "").strip()
        if not reason:
            self.message_user(
                request,
                gettext("Give the reason for declining; the public sees it."),
                messages.ERROR,
            )
            return
        apply_to_selected(
            self,
            request,
            queryset,
            lambda proposal: proposal_decline(
                proposal=proposal, reason=reason, by=request.user, on=on
            ),
            gettext("%(count)s proposal(s) declined."),
        )


# --- Ratings (评菜) ----------------------------------------------------------------------------


class SubjectFilter(admin.SimpleListFilter):
    title = _("what was rated")
    parameter_name = "subject"

    def lookups(self, request, model_admin):
        return [("community", _("The community as a whole")), ("item", _("A renovation item"))]

    def queryset(self, request, queryset: QuerySet) -> QuerySet:
        if self.value() == "community":
            return queryset.of_community_as_a_whole()
        if self.value() == "item":
            return queryset.of_items()
        return queryset


class SatisfiedFilter(admin.SimpleListFilter):
    title = _("satisfied")
    parameter_name = "satisfied"

    def lookups(self, request, model_admin):
        return [("yes", _("Satisfied (average 4 or more)")), ("no", _("Not satisfied"))]

    def queryset(self, request, queryset: QuerySet) -> QuerySet:
        satisfied = satisfied_condition()
        if self.value() == "yes":
            return queryset.filter(satisfied)
        if self.value() == "no":
            return queryset.exclude(satisfied)
        return queryset


class SatisfactionForm(forms.Form):
    district = forms.ModelChoiceField(
        queryset=District.objects.all(), required=False, label=_("district")
    )
    year = forms.IntegerField(
        required=False, min_value=2000, max_value=2100, label=_("renovation batch year")
    )
    min_ratings = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=10000,
        label=_("rank from this many ratings"),
    )


@admin.register(Rating)
class RatingAdmin(BaseAdmin):
    change_list_template = "communities/participation/admin_rating_change_list.html"
    list_display = [
        "rated",
        "community",
        "subject",
        "household",
        "work_score",
        "process_score",
        "management_score",
        "average_score",
        "satisfied",
        "channel",
        "comment_hidden",
    ]
    list_filter = [
        SubjectFilter,
        SatisfiedFilter,
        "channel",
        "comment_hidden",
        "community__district",
        "community__renovation_year",
    ]
    list_select_related = ["community", "item", "building"]
    search_fields = ["community__name", "item__title", "item__contractor", "comment"]
    autocomplete_fields = ["community", "item", "building"]
    date_hierarchy = "rated_on"
    actions = ["hide_comments", "show_comments"]
    readonly_fields = ["created_at"]
    fieldsets = [
        (None, {"fields": ["community", "item", "rated_on", "channel"]}),
        (
            _("Household (personal data: staff only)"),
            {"fields": [("building", "entrance_unit", "room_number")]},
        ),
        (
            _("Scores and comment"),
            {
                "fields": [
                    ("work_score", "process_score", "management_score"),
                    "comment",
                    "comment_hidden",
                    "created_at",
                ]
            },
        ),
    ]

    @admin.display(description=_("rated on"), ordering="rated_on")
    def rated(self, rating: Rating) -> str:
        return day(rating.rated_on)

    @admin.display(description=_("what was rated"), ordering="item__title")
    def subject(self, rating: Rating) -> str:
        return rating.item.title if rating.item_id else gettext("The community as a whole")

    @admin.display(description=_("household"))
    def household(self, rating: Rating) -> str:
        return rating.household_label

    @admin.display(description=_("average"))
    def average_score(self, rating: Rating) -> str:
        return f"{rating.average}"

    @admin.display(description=_("satisfied"), boolean=True)
    def satisfied(self, rating: Rating) -> bool:
        return rating.is_satisfied

    def _set_hidden(self, request, queryset, hidden: bool, message: str) -> None:
        apply_to_selected(
            self,
            request,
            queryset,
            lambda rating: rating_set_comment_hidden(rating=rating, hidden=hidden),
            message,
        )

    @admin.action(description=_("Hide the comments from the public"), permissions=["change"])
    def hide_comments(self, request, queryset):
        self._set_hidden(request, queryset, True, gettext("%(count)s comment(s) hidden."))

    @admin.action(description=_("Show the comments to the public"), permissions=["change"])
    def show_comments(self, request, queryset):
        self._set_hidden(request, queryset, False, gettext("%(count)s comment(s) shown."))

    # The satisfaction page

    def get_urls(self):
        page = path(
            "satisfaction/",
            self.admin_site.admin_view(self.satisfaction_view),
            name="communities_rating_satisfaction",
        )
        return [page, *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "satisfaction_url": reverse("admin:communities_rating_satisfaction"),
        }
        return super().changelist_view(request, extra_context)

    def satisfaction_view(self, request):
        """The satisfaction figures by district, batch year, community and contractor."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = SatisfactionForm(request.GET or None)
        params = form.cleaned_data if form.is_valid() else {}
        district = params.get("district")
        statistics = city_satisfaction(
            district=district.code if district else None,
            year=params.get("year"),
            min_ratings=params.get("min_ratings"),
        )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Residents' satisfaction"),
            "opts": self.model._meta,
            "form": form,
            "statistics": statistics,
            "today": timezone.localdate(),
            "unranked_note": ngettext(
                "%(count)s community has fewer ratings than the minimum and is not ranked.",
                "%(count)s communities have fewer ratings than the minimum and are not ranked.",
                statistics["unranked_communities"],
            )
            % {"count": statistics["unranked_communities"]},
        }
        return TemplateResponse(
            request, "communities/participation/admin_satisfaction.html", context
        )
