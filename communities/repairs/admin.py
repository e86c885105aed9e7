"""Admin for repair requests (报修): the queue with its overdue column and filters, the timeline
read-only on each request, lifecycle moves as actions, the measures page; grid inspectors'
assignments and the Open311 clients allowed to file requests.

Every write goes through ``communities.repairs.services``, so a move made here is guarded,
dated and put on the timeline exactly as one made through the API.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import QuerySet
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from communities.core import bounds
from communities.core.admin import BaseAdmin, moment, warning
from communities.core.clock import end_of_today
from communities.core.filters import ManyOptionsSelect
from communities.places.models import Community, District
from communities.property.choices import ManagementMode
from communities.property.selectors import NO_SERVICE, management_modes, renewal_reminders
from communities.repairs import services as services_repairs
from communities.repairs.choices import RepairCategory, RepairSource, RepairStatus
from communities.repairs.models import (
    GridAssignment,
    Open311Client,
    RepairEvent,
    RepairPhoto,
    RepairRequest,
    RepairSupport,
)
from communities.repairs.selectors import citywide_measures_refusal, repair_measures

# --- Repair requests --------------------------------------------------------------------------


class RepairEventInline(admin.TabularInline):
    """The timeline: a record, so nothing here is added, changed or removed by hand."""

    model = RepairEvent
    fields = ["at", "action", "from_status", "to_status", "actor_label", "note"]
    readonly_fields = fields
    ordering = ["at", "id"]
    extra = 0
    can_delete = False
    verbose_name_plural = _("timeline")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class _RecordInline(admin.TabularInline):
    """What residents added on the report form: shown, never edited by hand."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class RepairPhotoInline(_RecordInline):
    """The second and third photos of a request filed on the public report form."""

    model = RepairPhoto
    fields = ["photo", "added_at"]
    readonly_fields = fields
    verbose_name_plural = _("more photos")


class RepairSupportInline(_RecordInline):
    """Residents who said "me too" (their numbers are kept only as hashes)."""

    model = RepairSupport
    fields = ["at"]
    readonly_fields = fields
    verbose_name_plural = _("me toos")


class OverdueFilter(admin.SimpleListFilter):
    """Open past the deadline, as of now (served by the partial index on the deadline)."""

    title = _("overdue")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [
            ("yes", _("Overdue")),
            ("by_today", _("Overdue or due today")),
            ("no", _("Not overdue")),
        ]

    def queryset(self, request, queryset: QuerySet) -> QuerySet:
        now = timezone.now()
        if self.value() == "yes":
            return queryset.overdue(now)
        if self.value() == "by_today":
            return queryset.overdue(end_of_today())
        if self.value() == "no":
            return queryset.not_overdue(now)
        return queryset


class RepairActionForm(ActionForm):
    """The action bar, with what the moves need: a note (what was done, the reason) and the
    reporter's rating."""

    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        help_text=_("What was done (resolve), the reason (reject, reopen), or the comment."),
    )
    rating = forms.TypedChoiceField(
        label=_("Rating"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "—"), *[(value, value) for value in range(1, 6)]],
    )


def _https_urls(field, **kwargs):
    """Links typed without a scheme are https (Django 6's default, chosen now)."""
    if isinstance(field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return field.formfield(**kwargs)


class RepairRequestForm(forms.ModelForm):
    class Meta:
        model = RepairRequest
        formfield_callback = _https_urls
        fields = [
            "community",
            "building",
            "entrance_unit",
            "category",
            "is_emergency",
            "description",
            "photo",
            "photo_url",
            "source",
            "grid_inspector",
            "reporter_name",
            "reporter_phone",
            "address",
            "latitude",
            "longitude",
            "is_public",
        ]

    def clean(self):
        """A patrol report's inspector must patrol the community on the day it is filed (the
        same rule ``repair_request_submit`` enforces, checked here to show it on the form)."""
        data = super().clean()
        if self.instance.pk is None and data.get("source") == RepairSource.GRID_PATROL:
            inspector, community = data.get("grid_inspector"), data.get("community")
            if (
                inspector
                and community
                and not GridAssignment.objects.active(timezone.localdate())
                .filter(inspector=inspector, community=community)
                .exists()
            ):
                self.add_error(
                    "grid_inspector",
                    _("%(user)s does not patrol %(community)s as a grid inspector.")
                    % {"user": inspector.get_username(), "community": community},
                )
        return data


LIFECYCLE_FIELDS = [
    "status",
    "submitted_at",
    "deadline_at",
    "overdue",
    "dispatched_at",
    "handler_kind",
    "property_service",
    "handler_name",
    "started_at",
    "resolved_at",
    "resolution",
    "closed_at",
    "closed_by",
    "rating",
    "rating_comment",
    "reject_reason",
    "reopen_count",
    "filed_by",
    "open311_client",
    "token",
]
# Fixed once filed: where it is and who filed it. (What was reported can be corrected.)
FIXED_AFTER_FILING = ["community", "source", "grid_inspector"]


@admin.register(RepairRequest)
class RepairRequestAdmin(BaseAdmin):
    form = RepairRequestForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    action_form = RepairActionForm
    inlines = [RepairEventInline, RepairPhotoInline, RepairSupportInline]
    # A revert never restores the lifecycle: it moves only through the list's actions.
    service_state_fields = tuple(LIFECYCLE_FIELDS)
    service_state_moves = _("the lifecycle actions of the list")
    list_display = [
        "id",
        "category",
        "urgent",
        "community",
        "district",
        "status",
        # When it was filed: the date hierarchy above the list and its default order; the
        # deadline, which follows from it, is the column a clerk works by.
        "deadline",
        "overdue",
        "handler_name",
        "reopened",
        "rating",
        "is_public",
    ]
    list_display_links = ["id", "category"]
    list_filter = [
        "status",
        OverdueFilter,
        "category",
        "is_emergency",
        "source",
        "handler_kind",
        "is_public",
        "community__district",
    ]
    list_select_related = ["community__district"]
    search_fields = [
        "=id",
        "description",
        "community__name",
        "handler_name",
        "reporter_name",
        "reporter_phone",
    ]
    date_hierarchy = "submitted_at"
    autocomplete_fields = ["community", "building", "grid_inspector"]
    actions = [
        "dispatch_selected",
        "start_selected",
        "resolve_selected",
        "rate_selected",
        "reopen_selected",
        "reject_selected",
        "auto_close_selected",
        "publish_selected",
        "unpublish_selected",
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "community",
                    ("building", "entrance_unit"),
                    ("category", "is_emergency"),
                    "description",
                    ("photo", "photo_url"),
                    ("source", "grid_inspector"),
                ]
            },
        ),
        (
            _("Reporter (personal data: staff only)"),
            {"fields": [("reporter_name", "reporter_phone"), "address", ("latitude", "longitude")]},
        ),
        (_("Publication"), {"fields": ["is_public"]}),
        (_("Lifecycle"), {"fields": LIFECYCLE_FIELDS}),
    ]

    # Columns

    @admin.display(description=_("district"), ordering="community__district__code")
    def district(self, repair_request: RepairRequest):
        return repair_request.community.district

    @admin.display(description=_("emergency"), ordering="-is_emergency", empty_value="")
    def urgent(self, repair_request: RepairRequest) -> str:
        """A mark on an emergency; nothing on the others (not a red cross on every row)."""
        return warning(repair_request.is_emergency, _("emergency"))

    @admin.display(description=_("deadline"), ordering="deadline_at")
    def deadline(self, repair_request: RepairRequest) -> str:
        return moment(repair_request.deadline_at)

    @admin.display(description=_("reopens"), ordering="reopen_count")
    def reopened(self, repair_request: RepairRequest) -> int:
        """The times reopened, under a header short enough for the list."""
        return repair_request.reopen_count

    @admin.display(description=_("overdue"), empty_value="")
    def overdue(self, repair_request: RepairRequest) -> str:
        """A warning on an overdue request (never a green tick); nothing on the others."""
        return warning(repair_request.is_overdue, _("overdue"))

    # Forms

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return LIFECYCLE_FIELDS
        if obj.status in RepairStatus.finished():
            return [name for name in self._all_fields() if name != "is_public"]
        return [*FIXED_AFTER_FILING, *LIFECYCLE_FIELDS]

    def _all_fields(self) -> list[str]:
        names = []
        for _title, options in self.fieldsets:
            for entry in options["fields"]:
                names.extend(entry if isinstance(entry, tuple) else [entry])
        return names

    def get_fieldsets(self, request, obj=None):
        if obj is None:  # nothing of the lifecycle exists yet
            return [fieldset for fieldset in self.fieldsets if fieldset[0] != _("Lifecycle")]
        return self.fieldsets

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def has_delete_permission(self, request, obj=None) -> bool:
        """Requests are records of the city's service: only a superuser removes one."""
        return request.user.is_superuser

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        try:
            if not change:
                created = services_repairs.repair_request_submit(
                    by=request.user,
                    community=data["community"],
                    category=data["category"],
                    description=data["description"],
                    source=data["source"],
                    is_emergency=data.get("is_emergency", False),
                    building=data.get("building"),
                    entrance_unit=data.get("entrance_unit"),
                    reporter_name=data.get("reporter_name", ""),
                    reporter_phone=data.get("reporter_phone", ""),
                    latitude=data.get("latitude"),
                    longitude=data.get("longitude"),
                    address=data.get("address", ""),
                    photo=data.get("photo") or None,
                    photo_url=data.get("photo_url", ""),
                    grid_inspector=data.get("grid_inspector"),
                    is_public=data.get("is_public", False),
                )
                obj.pk = created.pk
                obj._state.adding = False
            else:
                changes = {
                    name: data[name]
                    for name in form.changed_data
                    if name in services_repairs.EDITABLE_FIELDS
                }
                if changes:
                    services_repairs.repair_request_edit(
                        repair_request=obj, by=request.user, changes=changes
                    )
                if "is_public" in form.changed_data:
                    services_repairs.repair_request_set_public(
                        repair_request=obj, is_public=data["is_public"], by=request.user
                    )
        except ValidationError as exc:
            # The form checked what it could; what is left (a move dated before the last
            # change, a request closed meanwhile) is reported, not a server error.
            raise PermissionDenied("; ".join(exc.messages)) from exc
        obj.refresh_from_db()

    # Lifecycle actions

    def apply_to_selected(self, request, queryset, mover, done_message, **arguments) -> None:
        if not request.user.has_perm("communities.change_repairrequest"):
            raise PermissionDenied
        done, refused = 0, []
        for repair_request in queryset.order_by("pk"):
            try:
                mover(repair_request=repair_request, by=request.user, **arguments)
            except ValidationError as exc:
                refused.append(f"#{repair_request.pk}: {' '.join(exc.messages)}")
            else:
                done += 1
        if done:
            self.message_user(request, done_message % {"count": done}, messages.SUCCESS)
        if refused:
            self.message_user(
                request,
                gettext("Not changed: %(list)s") % {"list": "; ".join(refused)},
                messages.WARNING,
            )

    def _note(self, request) -> str:
        return (request.POST.get("note") or "").strip()

    @admin.action(description=_("Dispatch to the covering property service"))
    def dispatch_selected(self, request, queryset):
        self.apply_to_selected(
            request,
            queryset,
            services_repairs.repair_request_dispatch,
            gettext("%(count)s request(s) dispatched."),
            note=self._note(request),
        )

    @admin.action(description=_("Start work"))
    def start_selected(self, request, queryset):
        self.apply_to_selected(
            request,
            queryset,
            services_repairs.repair_request_start,
            gettext("Work started on %(count)s request(s)."),
            note=self._note(request),
        )

    @admin.action(description=_("Resolve (the note says what was done)"))
    def resolve_selected(self, request, queryset):
        self.apply_to_selected(
            request,
            queryset,
            services_repairs.repair_request_resolve,
            gettext("%(count)s request(s) resolved."),
            resolution=self._note(request),
        )

    @admin.action(description=_("Record the reporter's rating (closes)"))
    def rate_selected(self, request, queryset):
        raw = request.POST.get("rating") or ""
        rating = int(raw) if raw.isdigit() else 0
        self.apply_to_selected(
            request,
            queryset,
            services_repairs.repair_request_rate,
            gettext("%(count)s request(s) rated and closed."),
            rating=rating,
            comment=self._note(request),
        )

    @admin.action(description=_("Reopen: the reporter is not satisfied (note: why)"))
    def reopen_selected(self, request, queryset):
        self.apply_to_selected(
            request,
            queryset,
            services_repairs.repair_request_reopen,
            gettext("%(count)s request(s) reopened."),
            reason=self._note(request),
        )

    @admin.action(description=_("Reject (note: the reason)"))
    def reject_selected(self, request, queryset):
        self.apply_to_selected(
            request,
            queryset,
            services_repairs.repair_request_reject,
            gettext("%(count)s request(s) rejected."),
            reason=self._note(request),
        )

    @admin.action(description=_("Close resolved requests left unrated for the set days"))
    def auto_close_selected(self, request, queryset):
        self.apply_to_selected(
            request,
            queryset,
            services_repairs.repair_request_auto_close,
            gettext("%(count)s request(s) closed."),
        )

    @admin.action(description=_("Make public (never the reporter's name or phone)"))
    def publish_selected(self, request, queryset):
        self.apply_to_selected(
            request,
            queryset,
            services_repairs.repair_request_set_public,
            gettext("%(count)s request(s) made public."),
            is_public=True,
        )

    @admin.action(description=_("Make private"))
    def unpublish_selected(self, request, queryset):
        self.apply_to_selected(
            request,
            queryset,
            services_repairs.repair_request_set_public,
            gettext("%(count)s request(s) made private."),
            is_public=False,
        )

    # The measures page

    def get_urls(self):
        measures = path(
            "measures/",
            self.admin_site.admin_view(self.measures_view),
            name="communities_repairrequest_measures",
        )
        return [measures, *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "measures_url": reverse("admin:communities_repairrequest_measures"),
        }
        return super().changelist_view(request, extra_context)

    def measures_view(self, request):
        """The measures, the classified-management view and the renewal reminders."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = MeasuresForm(request.GET or None)
        params = form.cleaned_data if form.is_valid() else {}
        district = params.get("district")
        code = district.code if district else None
        today = timezone.localdate()
        # Every district's measures past CITYWIDE_MEASURES_MAX requests: a message asking for
        # a district instead of a page that takes longer than anyone waits (as the API).
        refusal = (
            None
            if code
            else citywide_measures_refusal(
                category=params.get("category") or None,
                since=params.get("since"),
                until=params.get("until"),
            )
        )
        measured = {}
        if refusal:
            messages.warning(request, refusal)
        else:
            measured = self._measured_context(code, params)
        # The classified-management table reads every community it covers (about 1 s per
        # 20,000): past MODES_CITYWIDE_MAX it asks for a district too.
        modes_refused = not code and (
            Community.objects.order_by()[: MODES_CITYWIDE_MAX + 1].count() > MODES_CITYWIDE_MAX
        )
        if modes_refused:
            messages.warning(
                request,
                _(
                    "The classified management table covers more than %(max)s communities: "
                    "choose a district."
                )
                % {"max": f"{MODES_CITYWIDE_MAX:,}"},
            )
        mode_labels = dict(MODE_CHOICES)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Repair request measures"),
            "opts": self.model._meta,
            "form": form,
            "measured": bool(measured),
            **measured,
            "modes": []
            if modes_refused
            else [
                {**row, "label": mode_labels[row["mode"]]}
                for row in management_modes(on=today, district=code)
            ],
            "reminders": renewal_reminders(on=today, district=code),
            "today": today,
        }
        return TemplateResponse(request, "admin/communities/repairrequest/measures.html", context)

    def _measured_context(self, code: str | None, params: dict) -> dict:
        """The measures' part of the page (repair_measures: 17 queries)."""
        measures = repair_measures(
            district=code,
            category=params.get("category") or None,
            since=params.get("since"),
            until=params.get("until"),
        )
        not_dispatched = gettext("Not dispatched yet")
        groups = [
            (
                _("By district"),
                [{**row, "label": row["district_name"]} for row in measures["by_district"]],
            ),
            (
                _("By property company"),
                [
                    {**row, "label": row["handler_name"] or not_dispatched}
                    for row in measures["by_handler"]
                ],
            ),
            (
                _("By month of submission"),
                [{**row, "label": row["month"]} for row in measures["by_month"]],
            ),
            (
                _("By community"),
                [{**row, "label": row["community_name"]} for row in measures["by_community"]],
            ),
        ]
        return {
            "overall_rows": [{**measures["overall"], "label": gettext("All requests")}],
            "status_rows": [
                (RepairStatus(status).label, count)
                for status, count in measures["by_status"].items()
            ],
            "category_rows": [
                (RepairCategory(category).label, count)
                for category, count in measures["by_category"].items()
            ],
            "groups": groups,
        }


MODE_CHOICES = [*ManagementMode.choices, (NO_SERVICE, _("No property service"))]
# The most communities the measures page's classified-management table covers without a
# district (a few seconds' work past it at national scale).
MODES_CITYWIDE_MAX = 10_000


class MeasuresForm(forms.Form):
    district = forms.ModelChoiceField(
        queryset=District.objects.all(),
        required=False,
        label=_("district"),
        widget=ManyOptionsSelect,  # the country's 2,800 districts in ~10 ms, not ~1 s
    )
    category = forms.ChoiceField(
        choices=[("", "—"), *RepairCategory.choices], required=False, label=_("category")
    )
    since = bounds.DateField(required=False, label=_("submitted from"))
    until = bounds.DateField(required=False, label=_("submitted until"))


# --- Grid inspectors --------------------------------------------------------------------------


@admin.register(GridAssignment)
class GridAssignmentAdmin(BaseAdmin):
    list_display = ["inspector", "community", "grid", "started_on", "ended_on", "active_today"]
    list_filter = ["community__district"]
    list_select_related = ["inspector", "community"]
    search_fields = ["inspector__username", "community__name", "grid"]
    autocomplete_fields = ["inspector", "community"]

    @admin.display(description=_("active today"), boolean=True)
    def active_today(self, assignment: GridAssignment) -> bool:
        today = timezone.localdate()
        return assignment.started_on <= today and (
            assignment.ended_on is None or assignment.ended_on >= today
        )


# --- Open311 clients --------------------------------------------------------------------------


@admin.register(Open311Client)
class Open311ClientAdmin(BaseAdmin):
    """The key is made here and shown once; only its hash is kept."""

    list_display = ["name", "source", "key_prefix", "is_active", "last_used_at", "created_at"]
    list_filter = ["is_active", "source"]
    search_fields = ["name"]
    readonly_fields = ["key_prefix", "last_used_at", "created_at"]
    actions = ["rotate_keys"]
    # A revert never brings back an old key (nor its hash, which the form never shows).
    service_state_fields = ("key_prefix",)
    service_state_moves = _("the action “Issue a new API key”")

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["name", "source"]
        return ["name", "source", "is_active", "key_prefix", "last_used_at", "created_at"]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        client, key = services_repairs.open311_client_create(
            name=form.cleaned_data["name"], source=form.cleaned_data["source"]
        )
        obj.pk = client.pk
        obj._state.adding = False
        obj.refresh_from_db()
        self._show_key(request, client, key)

    def _show_key(self, request, client: Open311Client, key: str) -> None:
        self.message_user(
            request,
            gettext("API key of %(client)s (copy it now, it is not shown again): %(key)s")
            % {"client": client.name, "key": key},
            messages.WARNING,
        )

    @admin.action(description=_("Issue a new API key (the old one stops working)"))
    def rotate_keys(self, request, queryset):
        if not request.user.has_perm("communities.change_open311client"):
            raise PermissionDenied
        for client in queryset:
            self._show_key(
                request, client, services_repairs.open311_client_rotate_key(client=client)
            )
