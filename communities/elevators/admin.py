"""Admin for elevator retrofits (既有住宅加装电梯): the retrofit with its owners' vote, its stage
history and the shares of its cost; the households of entrance units; vote and subsidy rules.

Stages never change by editing a field: the "Move to another stage" page (a button on the
retrofit, an action on the list) calls ``services.elevator_retrofit_advance``, so a move made
here is guarded, dated and recorded exactly as one made through the API. Costs and the subsidy
go through ``services.elevator_retrofit_set_costs`` / ``elevator_retrofit_set_subsidy``, votes
through ``services.owner_vote_record``.
"""

import copy
import json
from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AdminDateWidget
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import HttpResponseRedirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from communities.core.admin import BaseAdmin, SharedChoicesInline, child_count, day, yuan
from communities.core.errors import WrongState
from communities.elevators import services
from communities.elevators.choices import ElevatorStage
from communities.elevators.models import (
    MAX_FLOOR_COEFFICIENT,
    STAGE_DATE_FIELDS,
    ElevatorRetrofit,
    Household,
    OwnerVote,
    StageTransition,
    SubsidyRule,
    VoteRule,
    roster_closed_on,
)
from communities.elevators.objection_admin import ElevatorObjectionInline
from communities.elevators.payment_admin import ShareInvoiceInline, issue_invoices
from communities.elevators.policy import (
    VOTE_APPROVAL_AREA,
    VOTE_APPROVAL_HEADCOUNT,
    VOTE_OBJECTION,
    VOTE_PARTICIPATION_AREA,
    VOTE_PARTICIPATION_HEADCOUNT,
    VoteSummary,
    default_floor_coefficient,
    elevator_stage_is_final,
    format_fraction,
    format_share,
    next_elevator_stage,
)
from communities.elevators.selectors import notices_ending_this_week, votes_short

COST_FIELDS = frozenset({"total_cost", "other_funding"})
SUBSIDY_FIELDS = frozenset({"subsidy_override", "subsidy", "subsidy_override_reason"})
# Fixed once the owners' vote is under way (the model refuses the change; here they are shown
# read-only so nobody tries).
FIXED_ONCE_VOTED = ["building", "entrance_unit"]


# --- Rules ------------------------------------------------------------------------------------


def _fraction(numerator: int, denominator: int) -> str:
    return "—" if numerator == 0 else f"{numerator}/{denominator}"


@admin.register(VoteRule)
class VoteRuleAdmin(BaseAdmin):
    list_display = [
        "code",
        "name",
        "participation",
        "approval",
        "approval_of_participants",
        "no_objection",
        "retrofits",
    ]
    list_display_links = ["code", "name"]
    search_fields = ["code", "name", "name_en"]
    fieldsets = [
        (None, {"fields": ["code", "name", "name_en", "legal_basis"]}),
        (
            _("Taking part (at least)"),
            {
                "fields": [
                    ("participation_area_num", "participation_area_den"),
                    ("participation_headcount_num", "participation_headcount_den"),
                ]
            },
        ),
        (
            _("Agreeing (at least)"),
            {
                "fields": [
                    ("approval_area_num", "approval_area_den"),
                    ("approval_headcount_num", "approval_headcount_den"),
                    "approval_of_participants",
                    "no_objection",
                ]
            },
        ),
    ]

    def get_queryset(self, request) -> QuerySet:
        return (
            super()
            .get_queryset(request)
            .annotate(retrofit_count=child_count(ElevatorRetrofit, "vote_rule"))
        )

    @admin.display(description=_("take part: area · headcount"))
    def participation(self, rule: VoteRule) -> str:
        return (
            f"{_fraction(rule.participation_area_num, rule.participation_area_den)} · "
            f"{_fraction(rule.participation_headcount_num, rule.participation_headcount_den)}"
        )

    @admin.display(description=_("agree: area · headcount"))
    def approval(self, rule: VoteRule) -> str:
        return (
            f"{_fraction(rule.approval_area_num, rule.approval_area_den)} · "
            f"{_fraction(rule.approval_headcount_num, rule.approval_headcount_den)}"
        )

    @admin.display(description=_("retrofits"), ordering="retrofit_count")
    def retrofits(self, rule: VoteRule) -> int:
        return rule.retrofit_count


@admin.register(SubsidyRule)
class SubsidyRuleAdmin(BaseAdmin):
    list_display = [
        "region_name",
        "region_code",
        "min_storeys",
        "amount",
        "cap_percent",
        "years",
        "retrofits",
    ]
    list_filter = ["region_code", "min_storeys"]
    search_fields = ["region_name", "region_code", "source"]

    def get_queryset(self, request) -> QuerySet:
        return (
            super()
            .get_queryset(request)
            .annotate(retrofit_count=child_count(ElevatorRetrofit, "subsidy_rule"))
        )

    @admin.display(description=_("amount per elevator"), ordering="amount_per_elevator")
    def amount(self, rule: SubsidyRule) -> str:
        return yuan(rule.amount_per_elevator)

    @admin.display(description=_("years"), ordering="valid_from_year")
    def years(self, rule: SubsidyRule) -> str:
        return f"{rule.valid_from_year}–{rule.valid_to_year or ''}"

    @admin.display(description=_("retrofits"), ordering="retrofit_count")
    def retrofits(self, rule: SubsidyRule) -> int:
        return rule.retrofit_count


# --- Households -------------------------------------------------------------------------------


@admin.register(Household)
class HouseholdAdmin(BaseAdmin):
    """The households of entrance units, with their owners' names and phones (staff only)."""

    list_display = [
        "room_number",
        "building_label",
        "community",
        "entrance_unit",
        "floor",
        "floor_area_m2",
        "owner_name",
        "owner_phone",
        "votes",
    ]
    list_display_links = ["room_number"]
    list_filter = ["building__community__district", "floor"]
    list_select_related = ["building__community"]
    search_fields = [
        "owner_name",
        "owner_phone",
        "room_number",
        "building__label",
        "building__community__name",
    ]
    autocomplete_fields = ["building"]
    label_select_related = ("building__community",)
    fieldsets = [
        (None, {"fields": ["building", "entrance_unit", "floor", "room_number", "floor_area_m2"]}),
        (_("Owner (personal data: staff only)"), {"fields": ["owner_name", "owner_phone"]}),
    ]

    def get_queryset(self, request) -> QuerySet:
        return (
            super().get_queryset(request).annotate(vote_count=child_count(OwnerVote, "household"))
        )

    @admin.display(description=_("building"), ordering="building__label")
    def building_label(self, household: Household) -> str:
        return household.building.label

    def has_delete_permission(self, request, obj=None) -> bool:
        """A household leaves its unit only while the roster is open (before consent, or
        after a recorded re-vote): one query on a change or delete page."""
        if obj is not None and roster_closed_on(obj.building_id, obj.entrance_unit):
            return False
        return super().has_delete_permission(request, obj)

    def delete_queryset(self, request, queryset) -> None:
        """The bulk delete leaves the households of closed rosters, and says so."""
        closed = [h for h in queryset if roster_closed_on(h.building_id, h.entrance_unit)]
        if closed:
            day = roster_closed_on(closed[0].building_id, closed[0].entrance_unit)
            self.message_user(request, Household.roster_closed_message(day), messages.ERROR)
            queryset = queryset.exclude(pk__in=[h.pk for h in closed])
        super().delete_queryset(request, queryset)

    @admin.display(description=_("community"), ordering="building__community__name")
    def community(self, household: Household):
        return household.building.community

    @admin.display(description=_("votes"), ordering="vote_count")
    def votes(self, household: Household) -> int:
        return household.vote_count


# --- The retrofit: forms ----------------------------------------------------------------------


class AttentionFilter(admin.SimpleListFilter):
    """What needs a clerk this week (the staff desk links here): public notices ending by
    Sunday, and retrofits at intention whose owners' vote does not pass yet."""

    title = _("needs attention")
    parameter_name = "attention"

    def lookups(self, request, model_admin):
        return [
            ("notice_ending", _("Public notice ending this week")),
            ("vote_short", _("Vote short of the threshold")),
        ]

    def queryset(self, request, queryset: QuerySet) -> QuerySet:
        match self.value():
            case "notice_ending":
                return notices_ending_this_week(queryset, timezone.localdate())
            case "vote_short":
                return votes_short(queryset)
        return queryset


class FloorCoefficientsWidget(forms.Widget):
    """``floor_coefficients`` as a table: one number per floor served, empty for the common
    scheme, whose coefficient is shown beside it. Posted back as ``{floor: text}`` with the
    empty floors left out, for the model to check and store as it always does."""

    template_name = "admin/communities/floor_coefficients.html"
    # Set by the form: the floors the elevator serves.
    floors: range = range(0)

    def _values(self, value) -> dict[str, str]:
        if isinstance(value, str):
            try:
                value = json.loads(value) if value.strip() else {}
            except ValueError:
                value = {}
        return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {}

    def format_value(self, value):
        return value  # the dict itself (Widget would make it a string)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        values = self._values(value)
        extra = [int(k) for k in values if k.isdigit() and int(k) not in self.floors]
        floors = [*self.floors, *sorted(extra)]  # a stored floor is never silently dropped
        context["widget"]["rows"] = [
            {
                "floor": floor,
                "name": f"{name}_{floor}",
                "id": f"{context['widget']['attrs'].get('id', name)}_{floor}",
                "value": values.get(str(floor), ""),
                "common": default_floor_coefficient(floor),
            }
            for floor in floors
        ]
        context["widget"]["max"] = MAX_FLOOR_COEFFICIENT
        return context

    def render(self, name, value, attrs=None, renderer=None):
        # The project's templates, not the form renderer's (Django's own widgets only).
        context = self.get_context(name, value, attrs)
        return mark_safe(render_to_string(self.template_name, context))

    def value_from_datadict(self, data, files, name):
        prefix = f"{name}_"
        posted = {
            key[len(prefix) :]: data[key].strip()
            for key in data
            if key.startswith(prefix) and key[len(prefix) :].isdigit()
        }
        return {
            floor: value
            for floor, value in sorted(posted.items(), key=lambda item: int(item[0]))
            if value
        }

    def value_omitted_from_data(self, data, files, name):
        return False


class FloorCoefficientsField(forms.Field):
    """The table's ``{floor: text}``, handed to the model unchanged (it checks the values)."""

    widget = FloorCoefficientsWidget

    def to_python(self, value):
        return dict(value) if isinstance(value, dict) else {}

    def has_changed(self, initial, data):
        def numbers(value) -> dict:
            found = {}
            for floor, text in (value or {}).items():
                try:
                    found[str(floor)] = Decimal(str(text))
                except (InvalidOperation, ValueError):
                    found[str(floor)] = text
            return found

        return numbers(initial) != numbers(self.to_python(data))


class ElevatorRetrofitAddForm(forms.ModelForm):
    """Registering an intention (``services.elevator_retrofit_create``): the subsidy the rules
    give is worked out before the model's checks, as the service will save it."""

    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept with the first entry of the stage history."),
    )

    def clean(self):
        data = super().clean()
        on = data.get("intention_on")
        if data.get("building") is not None and on:
            candidate = copy.copy(self.instance)
            for name in ("building", "total_cost", "other_funding"):
                setattr(candidate, name, data.get(name))
            candidate.apply_subsidy_rules(year=on.year)
            self.instance.subsidy = candidate.subsidy
            self.instance.subsidy_rule = candidate.subsidy_rule
        return data


class ElevatorRetrofitForm(forms.ModelForm):
    """Editing a retrofit. When the cost changes, or the subsidy stops being set by hand, the
    subsidy is worked out from the rules before the model's checks, as the services will save
    it; set by hand, it needs the tick and a reason."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("floor_coefficients")
        if isinstance(field, FloorCoefficientsField):
            field.widget.floors = range(1, (self.instance.storeys_served or 0) + 1)

    def clean(self):
        data = super().clean()
        changed = set(self.changed_data)
        if "subsidy_override" not in self.fields:
            return data
        override = data.get("subsidy_override")
        if override:
            self.instance.subsidy_rule = None
            return data
        if "subsidy" in changed and "subsidy_override" not in changed:
            self.add_error(
                "subsidy",
                _("Tick “subsidy set by staff” and give the reason to set the subsidy by hand."),
            )
            return data
        data["subsidy_override_reason"] = ""
        if changed & (COST_FIELDS | {"subsidy_override"}) and not self._errors:
            candidate = copy.copy(self.instance)
            for name in [*COST_FIELDS, "building"]:
                if name in data:
                    setattr(candidate, name, data[name])
            candidate.subsidy_override = False
            candidate.apply_subsidy_rules()
            data["subsidy"] = candidate.subsidy
            self.instance.subsidy_rule = candidate.subsidy_rule
        return data


# The recorded ways back, offered on the stage page next to the moves forward: each from the
# stages it may start at, with its service (the note is its reason, required).
WAYS_BACK = {
    "renotice": (
        services.RENOTICE_FROM,
        _("Back to design: withdraw the public notice to notice again"),
    ),
    "reopen_vote": (services.REVOTE_FROM, _("Back to intention: reopen the owners' vote")),
}
WAY_BACK_SERVICES = {
    "renotice": services.elevator_retrofit_renotice,
    "reopen_vote": services.elevator_retrofit_reopen_vote,
}


class StageMoveForm(forms.Form):
    """One move: forward to the next stage, or withdrawn."""

    to_stage = forms.ChoiceField(label=_("To stage"))
    on = forms.DateField(label=_("On"), widget=AdminDateWidget, initial=timezone.localdate)
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    permit_number = forms.CharField(
        label=_("construction permit number"),
        required=False,
        max_length=50,
        help_text=_("Needed for construction when the total cost is above the threshold."),
    )
    registration_number = forms.CharField(
        label=_("special-equipment registration number"),
        required=False,
        max_length=50,
        help_text=_("Needed before the elevator goes into service."),
    )

    def __init__(self, *args, retrofit: ElevatorRetrofit, **kwargs):
        super().__init__(*args, **kwargs)
        following = next_elevator_stage(retrofit.stage)
        choices = [(following, ElevatorStage(following).label)] if following else []
        if not elevator_stage_is_final(retrofit.stage):
            choices.append((ElevatorStage.WITHDRAWN, ElevatorStage.WITHDRAWN.label))
        for way_back, (starts, label) in WAYS_BACK.items():
            if retrofit.stage in starts:
                choices.append((way_back, label))
        self.fields["to_stage"].choices = choices
        self.fields["permit_number"].initial = retrofit.permit_number
        self.fields["registration_number"].initial = retrofit.registration_number

    def add_service_errors(self, error: ValidationError) -> None:
        """A service's field errors next to the field they are about (others on top)."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for field, messages_ in error.message_dict.items():
            field = "note" if field == "reason" else field  # a way back's reason is its note
            self.add_error(field if field in self.fields else None, messages_)


# --- The retrofit: inlines --------------------------------------------------------------------


class OwnerVoteInline(SharedChoicesInline, admin.TabularInline):
    """The votes recorded, household by household; open while the retrofit is at intention
    (each saved through ``services.owner_vote_record``), a record once consent is reached."""

    model = OwnerVote
    fields = ["household", "choice", "voted_on", "note"]
    shared_choice_fields = ("household",)
    ordering = ["household__floor", "household__room_number"]
    extra = 0
    verbose_name_plural = _("owners' votes (households with no record did not take part)")

    def get_queryset(self, request) -> QuerySet:
        # Read-only rows name the household: str() reads its building and community.
        return super().get_queryset(request).select_related("household__building__community")

    def scope_choices(self, name, queryset, parent):
        if parent is None:
            return queryset.none()
        return queryset.of_unit(parent.building_id, parent.entrance_unit)

    def choice_label(self, name):
        return household_label

    def _vote_open(self, obj) -> bool:
        return obj is not None and obj.stage == ElevatorStage.INTENTION

    def has_add_permission(self, request, obj=None) -> bool:
        return self._vote_open(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._vote_open(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self._vote_open(obj) and super().has_delete_permission(request, obj)


def household_label(household: Household) -> str:
    """Room, floor, area and owner: what tells the households of one unit apart."""
    label = gettext("%(room)s (%(floor)sF, %(area)s m²)") % {
        "room": household.room_number,
        "floor": household.floor,
        "area": household.floor_area_m2,
    }
    return f"{label} {household.owner_name}".strip()


class StageTransitionInline(admin.TabularInline):
    """The history of stage moves: a record, never added, changed or removed by hand."""

    model = StageTransition
    fields = ["on", "from_stage", "to_stage", "by", "note", "recorded_at"]
    readonly_fields = fields
    ordering = ["on", "id"]
    extra = 0
    can_delete = False
    verbose_name_plural = _("stage history")

    def get_queryset(self, request) -> QuerySet:
        return super().get_queryset(request).select_related("by")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


# --- The retrofit -----------------------------------------------------------------------------

STAGE_FIELDS = ["stage", *STAGE_DATE_FIELDS.values()]


@admin.register(ElevatorRetrofit)
class ElevatorRetrofitAdmin(BaseAdmin):
    form = ElevatorRetrofitForm
    add_form = ElevatorRetrofitAddForm
    change_form_template = "communities/includes/elevator_admin_change_form.html"
    inlines = [
        OwnerVoteInline,
        StageTransitionInline,
        ElevatorObjectionInline,
        ShareInvoiceInline,  # the owners' money (issue 17)
    ]
    list_display = [
        "building_label",
        "entrance_unit",
        "community",
        "district",
        "storeys_served",
        "stage",
        "votes",
        "total_cost_yuan",
        "subsidy_yuan",
        "owners_share",
        "updated",
    ]
    list_filter = [
        "stage",
        AttentionFilter,
        "building__community__district",
        "building__safety_grade",
        "vote_rule",
        "subsidy_override",
    ]
    search_fields = ["building__label", "building__community__name", "registration_number"]
    autocomplete_fields = ["building"]
    date_hierarchy = "in_service_on"
    actions = ["move_stage", issue_invoices]
    add_fieldsets = [
        (
            None,
            {
                "fields": [
                    "building",
                    "entrance_unit",
                    "storeys_served",
                    "intention_on",
                    "vote_rule",
                ]
            },
        ),
        (_("Cost"), {"fields": ["total_cost", "other_funding"]}),
        (None, {"fields": ["note"]}),
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "building",
                    "entrance_unit",
                    "storeys_served",
                    "vote_rule",
                    "notice_days",
                ]
            },
        ),
        (
            _("Stage"),
            {
                "fields": [*STAGE_FIELDS, "permit_number", "registration_number"],
                "description": _(
                    "Stages move only with “Move to another stage”, which checks the "
                    "conditions of the move and records it in the stage history."
                ),
            },
        ),
        (_("Owners' vote"), {"fields": ["vote_summary"]}),
        (
            _("Cost and subsidy"),
            {
                "fields": [
                    "total_cost",
                    "other_funding",
                    "maintenance_fund",
                    "subsidy_by_rules",
                    "subsidy_override",
                    "subsidy",
                    "subsidy_override_reason",
                    "subsidy_rule",
                    "owners_share",
                ]
            },
        ),
        (
            _("Households and their shares of the cost"),
            {"fields": ["floor_coefficients", "cost_shares"]},
        ),
        (None, {"fields": ["updated_at"]}),
    ]
    readonly_fields = [
        *STAGE_FIELDS,
        "subsidy_rule",
        "updated_at",
        "vote_summary",
        "subsidy_by_rules",
        "owners_share",
        "cost_shares",
    ]

    label_select_related = ("building__community",)
    # A revert never restores these: stages move only through the stage page.
    service_state_fields = tuple(STAGE_FIELDS)
    service_state_moves = _("the “Move to another stage” button of the retrofit")

    def service_state_url(self, obj: ElevatorRetrofit) -> str:
        return reverse("admin:communities_elevatorretrofit_change", args=[obj.pk])

    def revert_initial(self, request, proposed, current, names):
        """A version whose subsidy followed the rules proposes no subsidy of its own: the form
        works it out again from the rules for the restored cost, as for an edit."""
        initial = super().revert_initial(request, proposed, current, names)
        if not proposed.subsidy_override:
            initial.pop("subsidy", None)
        return initial

    def get_queryset(self, request) -> QuerySet:
        # str(retrofit) names the building, str(building) its community; the changelist shows
        # the district too, and the votes recorded out of the unit's households (subqueries,
        # so a page of 30 costs what a page of 3 does).
        households = (
            Household.objects.filter(
                building=OuterRef("building"), entrance_unit=OuterRef("entrance_unit")
            )
            .order_by()
            .values("building")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return (
            super()
            .get_queryset(request)
            .select_related("building__community__district", "vote_rule", "subsidy_rule")
            .annotate(
                vote_count=child_count(OwnerVote, "retrofit"),
                household_count=Coalesce(
                    Subquery(households, output_field=IntegerField()), Value(0)
                ),
            )
        )

    # Forms

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "floor_coefficients":
            return FloorCoefficientsField(
                label=capfirst(db_field.verbose_name),
                required=False,
                help_text=_(
                    "A coefficient for the floors that differ from the common scheme (from 0 "
                    "to 10, at most 3 decimals); leave a floor empty to follow the scheme."
                ),
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.add_fieldsets
        return super().get_fieldsets(request, obj)

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = self.add_form
        return super().get_form(request, obj, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        fields = list(self.readonly_fields)
        if obj.stage != ElevatorStage.INTENTION or self._votes_recorded(obj):
            fields += FIXED_ONCE_VOTED
        return fields

    def _votes_recorded(self, retrofit: ElevatorRetrofit) -> bool:
        """Whether any vote is recorded: one query, kept on the object for the request (the
        admin asks for the read-only fields several times per page)."""
        if not hasattr(retrofit, "_votes_recorded"):
            retrofit._votes_recorded = retrofit.votes.exists()
        return retrofit._votes_recorded

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if not change:
            created = services.elevator_retrofit_create(
                building=data["building"],
                entrance_unit=data["entrance_unit"],
                storeys_served=data["storeys_served"],
                on=data["intention_on"],
                by=request.user,
                total_cost=data["total_cost"],
                other_funding=data["other_funding"],
                vote_rule=data.get("vote_rule"),
                note=data.get("note", ""),
            )
            obj.pk = created.pk
            obj._state.adding = False
            obj.refresh_from_db()
            return
        changed = set(form.changed_data)
        if changed & SUBSIDY_FIELDS:
            services.elevator_retrofit_set_subsidy(
                retrofit=obj,
                amount=obj.subsidy if obj.subsidy_override else None,
                reason=obj.subsidy_override_reason,
            )
        elif changed & COST_FIELDS:
            services.elevator_retrofit_set_costs(
                retrofit=obj, total_cost=obj.total_cost, other_funding=obj.other_funding
            )
        else:
            super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        if formset.model is not OwnerVote:
            return super().save_formset(request, form, formset, change)
        retrofit = form.instance
        formset.save(commit=False)  # fills new_, changed_ and deleted_objects; saves nothing
        for vote in formset.deleted_objects:
            vote.delete()
        moved = {vote.pk for vote, changed in formset.changed_objects if "household" in changed}
        for vote in [*formset.new_objects, *(vote for vote, _changes in formset.changed_objects)]:
            if vote.pk in moved:  # put on another household: the first one's record goes
                OwnerVote.objects.filter(pk=vote.pk).delete()
            services.owner_vote_record(
                retrofit=retrofit,
                household=vote.household,
                choice=vote.choice,
                voted_on=vote.voted_on,
                note=vote.note,
            )
        return None

    # Columns

    @admin.display(description=_("building"), ordering="building__label")
    def building_label(self, retrofit: ElevatorRetrofit) -> str:
        return retrofit.building.label

    @admin.display(description=_("community"), ordering="building__community__name")
    def community(self, retrofit: ElevatorRetrofit):
        return retrofit.building.community

    @admin.display(description=_("district"), ordering="building__community__district__code")
    def district(self, retrofit: ElevatorRetrofit):
        return retrofit.building.community.district

    @admin.display(description=_("votes / households"), ordering="vote_count")
    def votes(self, retrofit: ElevatorRetrofit) -> str:
        return f"{retrofit.vote_count} / {retrofit.household_count}"

    @admin.display(description=_("total cost"), ordering="total_cost")
    def total_cost_yuan(self, retrofit: ElevatorRetrofit) -> str:
        return yuan(retrofit.total_cost)

    @admin.display(description=_("subsidy"), ordering="subsidy")
    def subsidy_yuan(self, retrofit: ElevatorRetrofit) -> str:
        return yuan(retrofit.subsidy)

    @admin.display(description=_("owners' part"))
    def owners_share(self, retrofit: ElevatorRetrofit) -> str:
        """What the owners pay between them: the cost less the subsidy and other funding."""
        if retrofit.total_cost is None or retrofit.subsidy is None:
            return self.get_empty_value_display()
        return yuan(retrofit.owners_part)

    @admin.display(description=_("last updated"), ordering="updated_at")
    def updated(self, retrofit: ElevatorRetrofit) -> str:
        return day(retrofit.updated_at)

    # The change page's read-only parts (each reads what it says, once per page)

    @admin.display(description=_("vote"))
    def vote_summary(self, retrofit: ElevatorRetrofit) -> str:
        """The tally by headcount and by area under the retrofit's rule (one query)."""
        summary = retrofit.vote_summary()
        return render_to_string(
            "communities/includes/elevator_admin_vote.html",
            {"rows": vote_rows(summary), "summary": summary, "rule": retrofit.vote_rule},
        )

    @admin.display(description=_("subsidy by the rules"))
    def subsidy_by_rules(self, retrofit: ElevatorRetrofit) -> str:
        """The subsidy saved and where it comes from: the rule it was computed by (fixed by the
        public notice once noticed), or staff's amount with its reason next to what the rules
        would give. Before the notice, what the rules give now, worked out as the services
        save it (cut to what other funding leaves of the cost), and a warning if that is not
        what is saved (two queries)."""
        if retrofit.notice_on and not retrofit.subsidy_override:
            rule = retrofit.subsidy_rule or gettext("no subsidy rule")
            return gettext(
                "%(amount)s under “%(rule)s”, fixed by the public notice of %(day)s."
            ) % {"amount": yuan(retrofit.subsidy), "rule": rule, "day": day(retrofit.notice_on)}
        candidate = copy.copy(retrofit)
        candidate.subsidy_override = False
        candidate.apply_subsidy_rules()
        if candidate.subsidy_rule is None:
            text = gettext("No subsidy rule covers this building in %(year)s.") % {
                "year": candidate.subsidy_year()
            }
        else:
            text = gettext("%(amount)s under “%(rule)s” (%(year)s).") % {
                "amount": yuan(candidate.subsidy),
                "rule": candidate.subsidy_rule,
                "year": candidate.subsidy_year(),
            }
        if retrofit.subsidy_override:
            return format_html(
                "{}<br><strong>{}</strong>",
                text,
                gettext("Set by staff instead: %(amount)s. Reason: %(reason)s")
                % {"amount": yuan(retrofit.subsidy), "reason": retrofit.subsidy_override_reason},
            )
        if candidate.subsidy != retrofit.subsidy:
            return format_html(
                "{}<br><strong>{}</strong>",
                text,
                gettext(
                    "Saved: %(amount)s; the shares use the saved amount until the costs are "
                    "saved again."
                )
                % {"amount": yuan(retrofit.subsidy)},
            )
        return text

    @admin.display(description=_("cost shares"))
    def cost_shares(self, retrofit: ElevatorRetrofit) -> str:
        """Every household of the unit with its owner, vote and share, and the shares by floor
        (two queries: the shares, and the households' votes)."""
        sharing = retrofit.cost_sharing()
        votes = {
            row["pk"]: row
            for row in retrofit.households_with_votes().values("pk", "vote", "voted_on")
        }
        choices = dict(OwnerVote._meta.get_field("choice").choices)
        households = [
            {
                "share": share,
                "vote": choices.get(votes.get(share.household_id, {}).get("vote"), ""),
                "voted_on": votes.get(share.household_id, {}).get("voted_on"),
                "url": reverse("admin:communities_household_change", args=[share.household_id]),
            }
            for share in sharing.households
        ]
        unit = {"building": retrofit.building_id, "entrance_unit": retrofit.entrance_unit}
        return render_to_string(
            "communities/includes/elevator_admin_shares.html",
            {
                "sharing": sharing,
                "households": households,
                "add_url": f"{reverse('admin:communities_household_add')}?{urlencode(unit)}",
                "list_url": (
                    f"{reverse('admin:communities_household_changelist')}?"
                    + urlencode(
                        {
                            "building__id__exact": retrofit.building_id,
                            "entrance_unit": unit["entrance_unit"],
                        }
                    )
                ),
            },
        )

    # Stage moves

    def get_urls(self):
        stage = path(
            "<path:object_id>/stage/",
            self.admin_site.admin_view(self.stage_view),
            name="communities_elevatorretrofit_stage",
        )
        return [stage, *super().get_urls()]

    def _stage_url(self, retrofit: ElevatorRetrofit) -> str:
        return reverse("admin:communities_elevatorretrofit_stage", args=[retrofit.pk])

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if (
            obj is not None
            and not elevator_stage_is_final(obj.stage)
            and self.has_change_permission(request, obj)
        ):
            context["stage_url"] = self._stage_url(obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    @admin.action(
        description=_("Move the selected retrofit to another stage"), permissions=["change"]
    )
    def move_stage(self, request, queryset):
        chosen = list(queryset.order_by("pk")[:2])
        if len(chosen) != 1:
            self.message_user(
                request,
                gettext("Select one retrofit: each move has its own date, note and numbers."),
                messages.WARNING,
            )
            return None
        return HttpResponseRedirect(self._stage_url(chosen[0]))

    def stage_view(self, request, object_id):
        """The form of one stage move; the service checks its conditions and records it."""
        retrofit = self.get_object(request, unquote(object_id))
        if retrofit is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_change_permission(request, retrofit):
            raise PermissionDenied
        final = elevator_stage_is_final(retrofit.stage)
        form = None if final else StageMoveForm(request.POST or None, retrofit=retrofit)
        if form is not None and request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            from_stage = retrofit.get_stage_display()
            try:
                if data["to_stage"] in WAY_BACK_SERVICES:
                    WAY_BACK_SERVICES[data["to_stage"]](
                        retrofit=retrofit, on=data["on"], reason=data["note"], by=request.user
                    )
                else:
                    services.elevator_retrofit_advance(
                        retrofit=retrofit,
                        to_stage=data["to_stage"],
                        on=data["on"],
                        by=request.user,
                        note=data["note"],
                        permit_number=data["permit_number"] or None,
                        registration_number=data["registration_number"] or None,
                    )
            except WrongState as refusal:
                for message in refusal.messages:
                    form.add_error(None, message)
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                done = gettext("Moved from “%(from)s” to “%(to)s” on %(on)s.") % {
                    "from": from_stage,
                    "to": retrofit.get_stage_display(),
                    "on": data["on"].isoformat(),
                }
                self.log_change(request, retrofit, done)
                self.message_user(request, f"{retrofit}: {done}", messages.SUCCESS)
                return HttpResponseRedirect(
                    reverse("admin:communities_elevatorretrofit_change", args=[retrofit.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Move %(retrofit)s to another stage") % {"retrofit": retrofit},
            "opts": self.opts,
            "original": retrofit,
            "form": form,
            "media": self.media + (form.media if form is not None else forms.Media()),
            "stages": [
                (ElevatorStage(stage).label, day)
                for stage, day in retrofit.stage_dates().items()
                if day
            ],
            "change_url": reverse("admin:communities_elevatorretrofit_change", args=[retrofit.pk]),
        }
        return TemplateResponse(request, "communities/includes/elevator_admin_stage.html", context)


def vote_rows(summary: VoteSummary) -> list[dict]:
    """The four thresholds (and the objection rule) as rows: what was needed, what the vote
    reached (counts, exact fraction and percentage) and whether it holds."""
    rule = summary.rule
    base = gettext("of those taking part") if rule.approval_of_participants else gettext("of all")
    approval_count = (
        summary.participating_count if rule.approval_of_participants else summary.households
    )
    approval_area = (
        summary.participating_area if rule.approval_of_participants else summary.area_total
    )
    rows = [
        {
            "label": gettext("Taking part, by area"),
            "needed": rule.participation_area,
            "part": f"{summary.participating_area:,.2f}",
            "whole": f"{summary.area_total:,.2f} m²",
            "ratio": summary.participation_area_ratio,
            "code": VOTE_PARTICIPATION_AREA,
        },
        {
            "label": gettext("Taking part, by headcount"),
            "needed": rule.participation_headcount,
            "part": summary.participating_count,
            "whole": summary.households,
            "ratio": summary.participation_headcount_ratio,
            "code": VOTE_PARTICIPATION_HEADCOUNT,
        },
        {
            "label": gettext("Agreeing, by area (%(base)s)") % {"base": base},
            "needed": rule.approval_area,
            "part": f"{summary.agree_area:,.2f}",
            "whole": f"{approval_area:,.2f} m²",
            "ratio": summary.approval_area_ratio,
            "code": VOTE_APPROVAL_AREA,
        },
        {
            "label": gettext("Agreeing, by headcount (%(base)s)") % {"base": base},
            "needed": rule.approval_headcount,
            "part": summary.agree_count,
            "whole": approval_count,
            "ratio": summary.approval_headcount_ratio,
            "code": VOTE_APPROVAL_HEADCOUNT,
        },
    ]
    shown = []
    for row in rows:
        if row["needed"] <= 0:
            continue  # the rule sets no such threshold
        shown.append(
            {
                **row,
                "needed": format_fraction(row["needed"]),
                "percent": format_share(row["ratio"]),
                "fraction": "—" if row["ratio"] is None else format_fraction(row["ratio"]),
                "met": summary.households > 0 and row["code"] not in summary.failed,
            }
        )
    if rule.no_objection:
        shown.append(
            {
                "label": gettext("No owner against"),
                "needed": "0",
                "part": summary.disagree_count,
                "whole": summary.households,
                "percent": "",
                "fraction": "",
                "met": VOTE_OBJECTION not in summary.failed,
            }
        )
    return shown
