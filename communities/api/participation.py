"""``/api/v1/proposals/``, ``/api/v1/design-plans/``, ``/api/v1/ratings/`` and
``/api/v1/stats/satisfaction/``: residents take part (点菜, 炒菜, 评菜).

The same conventions as every resource (``api/base.py``): anyone reads, a token whose user
holds the model permission writes, and every write passes the model's own validation. The
WeChat mini-program writes with a token whose user holds ``add_proposal`` and ``add_rating``.

- Deciding a proposal (``adopt``, ``decline``) needs ``decide_proposal``; putting a plan up
  for notice and approving it needs ``approve_designplan``. Both go through
  ``communities.services_participation``; a record in the wrong state answers 409.
- Draft plans are seen only by users who may change plans; everybody else sees a plan once
  it is put up for public notice.
- A rating's household (building, entrance unit, room) and whether its comment is hidden are
  staff-only; a hidden comment reaches the public empty. Ratings cannot be filtered by
  household, so no one can look up what a household said.
- Phone numbers in the free text (a proposal's title, description and reason for declining, a
  rating's comment) reach everybody but the record's staff masked, as on the public site.
"""

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import permissions, serializers
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from communities import selectors_participation, selectors_repairs, services_participation
from communities.api.base import (
    ApiAutoSchema,
    ChoiceLabelField,
    Conflict,
    DomainSerializer,
    DomainViewSet,
    QuerySerializer,
    SiteURLField,
    personal_data_allowed,
)
from communities.choices import Category, ItemStatus
from communities.filters import DateFilter, IntegerFilter, district_filter
from communities.models import (
    Community,
    DesignDocument,
    DesignPlan,
    District,
    Proposal,
    Rating,
    RenovationItem,
    RenovationKind,
)
from communities.models.participation import (
    Channel,
    DesignPlanStatus,
    NoticeState,
    ProposalStatus,
)

# --- Filters ----------------------------------------------------------------------------------


class ProposalFilter(django_filters.FilterSet):
    community = IntegerFilter(field_name="community_id", label=_("Community id"))
    district = district_filter("community__district")
    year = IntegerFilter(
        field_name="community__renovation_year", label=_("Renovation batch year of the community")
    )
    status = django_filters.ChoiceFilter(choices=ProposalStatus.choices, label=_("Status"))
    kind = django_filters.ModelChoiceFilter(
        queryset=RenovationKind.objects.all(), to_field_name="code", label=_("Kind (code)")
    )
    channel = django_filters.ChoiceFilter(choices=Channel.choices, label=_("Collected through"))
    item = IntegerFilter(field_name="item_id", label=_("Renovation item id"))

    class Meta:
        model = Proposal
        fields = ["community", "district", "year", "status", "kind", "channel", "item"]


class DesignPlanFilter(django_filters.FilterSet):
    community = IntegerFilter(field_name="community_id", label=_("Community id"))
    district = district_filter("community__district")
    batch_year = IntegerFilter(label=_("Renovation batch year"))
    status = django_filters.ChoiceFilter(choices=DesignPlanStatus.choices, label=_("Status"))

    class Meta:
        model = DesignPlan
        fields = ["community", "district", "batch_year", "status"]


SUBJECT_COMMUNITY, SUBJECT_ITEM = "community", "item"
SUBJECT_CHOICES = [
    (SUBJECT_COMMUNITY, _("The community as a whole")),
    (SUBJECT_ITEM, _("A renovation item")),
]


class RatingFilter(django_filters.FilterSet):
    """No filter by building or room: what one household said stays private."""

    community = IntegerFilter(field_name="community_id", label=_("Community id"))
    district = district_filter("community__district")
    year = IntegerFilter(
        field_name="community__renovation_year", label=_("Renovation batch year of the community")
    )
    item = IntegerFilter(field_name="item_id", label=_("Renovation item id"))
    subject = django_filters.ChoiceFilter(
        choices=SUBJECT_CHOICES, method="filter_subject", label=_("What was rated")
    )
    channel = django_filters.ChoiceFilter(choices=Channel.choices, label=_("Collected through"))
    rated_after = DateFilter(field_name="rated_on", lookup_expr="gte", label=_("Rated on or after"))
    rated_before = DateFilter(
        field_name="rated_on", lookup_expr="lte", label=_("Rated on or before")
    )

    class Meta:
        model = Rating
        fields = [
            "community",
            "district",
            "year",
            "item",
            "subject",
            "channel",
            "rated_after",
            "rated_before",
        ]

    def filter_subject(self, queryset, name, value):
        return queryset.filter(item__isnull=value == SUBJECT_COMMUNITY)


# --- Fields -----------------------------------------------------------------------------------


def status_code_field(choices, **kwargs) -> serializers.CharField:
    """A read-only choice code documented with its values inline: several resources have a
    ``status`` of their own, and one enum component per field name would collide."""
    schema = {"type": "string", "enum": list(choices.values)}
    if kwargs.get("allow_null"):
        schema["nullable"] = True
    field_class = extend_schema_field(schema)(type("StatusCodeField", (serializers.CharField,), {}))
    return field_class(read_only=True, **kwargs)


# --- Permissions ------------------------------------------------------------------------------


class HoldsPermission(permissions.BasePermission):
    """An authenticated user holding ``view.action_permission`` (an ``app.codename``)."""

    def has_permission(self, request, view):
        user = request.user
        needed = getattr(view, "action_permission", None)
        return bool(user and user.is_authenticated and needed and user.has_perm(needed))


def may_see_draft_plans(request) -> bool:
    user = getattr(request, "user", None)
    return bool(user and user.is_authenticated and user.has_perm("communities.change_designplan"))


def _raise_for(exc: Exception):
    """A service's refusal as an API error: 409 for the wrong state, 400 for bad input."""
    if isinstance(exc, services_participation.WrongState):
        raise Conflict(str(exc)) from exc
    if hasattr(exc, "error_dict"):
        raise serializers.ValidationError(exc.message_dict) from exc
    raise serializers.ValidationError({"non_field_errors": exc.messages}) from exc


# --- Proposals (点菜) --------------------------------------------------------------------------


class ProposalSerializer(DomainSerializer):
    """A proposal and what became of it. Residents' systems write the proposal; its status,
    item and decision are set by ``adopt`` and ``decline``."""

    url = serializers.HyperlinkedIdentityField(view_name="api:proposal-detail")
    site_url = SiteURLField()
    community_name = serializers.CharField(source="community.name", read_only=True)
    district = serializers.CharField(source="community.district.code", read_only=True)
    kind = serializers.SlugRelatedField(slug_field="code", queryset=RenovationKind.objects.all())
    kind_name = serializers.CharField(source="kind.display_name", read_only=True)
    category = serializers.ChoiceField(
        choices=Category.choices, source="kind.category", read_only=True
    )
    channel_display = ChoiceLabelField(Channel, source="channel")
    status = status_code_field(ProposalStatus)
    status_display = ChoiceLabelField(ProposalStatus, source="status")
    item_title = serializers.CharField(source="item.title", read_only=True, allow_null=True)
    item_status = status_code_field(ItemStatus, source="item.status", allow_null=True)
    item_status_display = ChoiceLabelField(ItemStatus, source="item.status", allow_null=True)
    item_progress = serializers.IntegerField(
        source="item.progress",
        read_only=True,
        allow_null=True,
        help_text=_("Progress of the item (%): what became of the proposal."),
    )

    class Meta:
        model = Proposal
        fields = [
            "id",
            "url",
            "site_url",
            "community",
            "community_name",
            "district",
            "kind",
            "kind_name",
            "category",
            "title",
            "description",
            "supporters",
            "channel",
            "channel_display",
            "submitted_on",
            "status",
            "status_display",
            "item",
            "item_title",
            "item_status",
            "item_status_display",
            "item_progress",
            "decided_on",
            "decline_reason",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["status", "item", "decided_on", "decline_reason"]

    @classmethod
    def setup_queryset(cls, queryset):
        return queryset.select_related("community__district", "kind", "item")

    def to_representation(self, instance):
        """Residents write the proposal: a phone number in it reaches the public masked."""
        data = super().to_representation(instance)
        if not personal_data_allowed(self, instance):
            for name in ("title", "description", "decline_reason"):
                data[name] = selectors_repairs.public_text(data[name])
        return data


class AdoptSerializer(serializers.Serializer):
    item = serializers.PrimaryKeyRelatedField(
        queryset=RenovationItem.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("An item of the community to join; leave out to make a new planned item."),
    )
    title = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text=_("The new item's title (default: the proposal's)."),
    )
    decided_on = serializers.DateField(required=False, help_text=_("Default: today."))


class DeclineSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, help_text=_("Shown to the public."))
    decided_on = serializers.DateField(required=False, help_text=_("Default: today."))


class ProposalViewSet(DomainViewSet):
    """What residents asked for (点菜), and what became of it."""

    queryset = Proposal.objects.all()
    serializer_class = ProposalSerializer
    filterset_class = ProposalFilter
    ordering = ["-submitted_on", "-id"]
    ordering_fields = ["id", "submitted_on", "supporters", "decided_on", "updated_at"]
    action_permission = "communities.decide_proposal"

    def _decide(self, request, decide, payload_class):
        payload = payload_class(data=request.data)
        payload.is_valid(raise_exception=True)
        arguments = dict(payload.validated_data)
        on = arguments.pop("decided_on", None)
        proposal = self.get_object()
        try:
            decide(proposal=proposal, by=request.user, on=on, **arguments)
        except (services_participation.WrongState, DjangoValidationError) as exc:
            _raise_for(exc)
        fresh = self.get_queryset().get(pk=proposal.pk)
        return Response(self.get_serializer(fresh).data)

    @extend_schema(
        summary="Adopt a proposal",
        description=(
            "The proposal joins `item` (an item of its community that is not cancelled) or, "
            "without one, becomes a new planned item of its kind. Needs `decide_proposal`; a "
            "proposal already decided answers 409."
        ),
        request=AdoptSerializer,
        responses=ProposalSerializer,
    )
    @action(detail=True, methods=["post"], permission_classes=[HoldsPermission])
    def adopt(self, request, pk=None):
        return self._decide(request, services_participation.proposal_adopt, AdoptSerializer)

    @extend_schema(
        summary="Decline a proposal",
        description=(
            "With the reason the public sees. Needs `decide_proposal`; a proposal already "
            "decided answers 409."
        ),
        request=DeclineSerializer,
        responses=ProposalSerializer,
    )
    @action(detail=True, methods=["post"], permission_classes=[HoldsPermission])
    def decline(self, request, pk=None):
        return self._decide(request, services_participation.proposal_decline, DeclineSerializer)


# --- Design plans (炒菜) -----------------------------------------------------------------------


class DesignDocumentSerializer(serializers.ModelSerializer):
    file = serializers.FileField(read_only=True, use_url=True)

    class Meta:
        model = DesignDocument
        fields = ["id", "title", "file", "uploaded_at"]
        read_only_fields = fields


class DesignPlanSerializer(DomainSerializer):
    """A design plan with its notice period, the comments it drew and its approval. Status
    and approval are set by ``publish`` and ``approve``; once a plan is put up for notice only
    the comments received can still change. Documents are uploaded in the admin."""

    url = serializers.HyperlinkedIdentityField(view_name="api:designplan-detail")
    site_url = SiteURLField()
    community_name = serializers.CharField(source="community.name", read_only=True)
    district = serializers.CharField(source="community.district.code", read_only=True)
    status = status_code_field(DesignPlanStatus)
    status_display = ChoiceLabelField(DesignPlanStatus, source="status")
    notice_state = serializers.SerializerMethodField(
        help_text=_("upcoming, open or closed today; null without a notice period.")
    )
    documents = DesignDocumentSerializer(many=True, read_only=True)

    class Meta:
        model = DesignPlan
        fields = [
            "id",
            "url",
            "site_url",
            "community",
            "community_name",
            "district",
            "batch_year",
            "version",
            "title",
            "designer",
            "summary",
            "status",
            "status_display",
            "notice_start",
            "notice_end",
            "notice_state",
            "comments_received",
            "comments_summary",
            "approved_on",
            "approval_reference",
            "documents",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["status", "approved_on", "approval_reference"]

    @classmethod
    def setup_queryset(cls, queryset):
        return queryset.select_related("community__district").prefetch_related(
            Prefetch("documents", queryset=DesignDocument.objects.order_by("id"))
        )

    @extend_schema_field({"type": "string", "enum": list(NoticeState.values), "nullable": True})
    def get_notice_state(self, plan: DesignPlan) -> str | None:
        return plan.notice_state()

    def validate(self, attrs):
        if self.instance is not None:
            frozen = sorted(
                name
                for name, value in attrs.items()
                if name not in services_participation.design_plan_editable_fields(self.instance)
                and value != getattr(self.instance, name)
            )
            if frozen:
                message = _("A plan put up for public notice can no longer change this.")
                raise serializers.ValidationError({name: [message] for name in frozen})
        return super().validate(attrs)


class PublishSerializer(serializers.Serializer):
    notice_start = serializers.DateField(required=False, help_text=_("Default: the plan's own."))
    notice_end = serializers.DateField(
        required=False, help_text=_("The last day, included. Default: the plan's own.")
    )


class ApproveSerializer(serializers.Serializer):
    approved_on = serializers.DateField(required=False, help_text=_("Default: today."))
    reference = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text=_("The number of the approval document (批复文号)."),
    )


class DesignPlanViewSet(DomainViewSet):
    """Design plans (炒菜), publicly noticed before approval; only an approved plan lets its
    community's items of that batch start construction."""

    queryset = DesignPlan.objects.all()
    serializer_class = DesignPlanSerializer
    filterset_class = DesignPlanFilter
    ordering = ["community_id", "-batch_year", "-version"]
    ordering_fields = ["id", "batch_year", "version", "notice_start", "notice_end", "approved_on"]
    action_permission = "communities.approve_designplan"

    def public_queryset(self, queryset):
        return queryset.public()

    def may_read_private(self) -> bool:
        """Drafts: for those who write plans, within their scope."""
        return may_see_draft_plans(self.request)

    def _move(self, request, move, payload_class, **renamed):
        payload = payload_class(data=request.data)
        payload.is_valid(raise_exception=True)
        arguments = {renamed.get(k, k): v for k, v in payload.validated_data.items()}
        plan = self.get_object()
        try:
            move(plan=plan, **arguments)
        except (services_participation.WrongState, DjangoValidationError) as exc:
            _raise_for(exc)
        fresh = self.get_queryset().get(pk=plan.pk)
        return Response(self.get_serializer(fresh).data)

    @extend_schema(
        summary="Put a draft plan up for public notice",
        description="Needs `approve_designplan`; a plan that is not a draft answers 409.",
        request=PublishSerializer,
        responses=DesignPlanSerializer,
    )
    @action(detail=True, methods=["post"], permission_classes=[HoldsPermission])
    def publish(self, request, pk=None):
        return self._move(request, services_participation.design_plan_publish, PublishSerializer)

    @extend_schema(
        summary="Approve a plan after its public notice",
        description=(
            "From the day after the notice's last day. The version approved before, and "
            "earlier versions still in draft or notice, are superseded. Needs "
            "`approve_designplan`; a plan not in notice answers 409."
        ),
        request=ApproveSerializer,
        responses=DesignPlanSerializer,
    )
    @action(detail=True, methods=["post"], permission_classes=[HoldsPermission])
    def approve(self, request, pk=None):
        return self._move(
            request,
            lambda **kwargs: services_participation.design_plan_approve(by=request.user, **kwargs),
            ApproveSerializer,
            approved_on="on",
        )


# --- Ratings (评菜) ----------------------------------------------------------------------------

HOUSEHOLD_FIELDS = ["building", "entrance_unit", "room_number"]


class RatingSerializer(DomainSerializer):
    """A household's rating of a finished item or its completed community. Who rated (the
    household) is for staff only, as is whether the comment is hidden; the public gets a
    hidden comment empty."""

    url = serializers.HyperlinkedIdentityField(view_name="api:rating-detail")
    community = serializers.PrimaryKeyRelatedField(
        queryset=Community.objects.all(),
        required=False,
        help_text=_("Not needed when rating an item: the item's community."),
    )
    community_name = serializers.CharField(source="community.name", read_only=True)
    district = serializers.CharField(source="community.district.code", read_only=True)
    item_title = serializers.CharField(source="item.title", read_only=True, allow_null=True)
    subject = serializers.SerializerMethodField()
    average = serializers.DecimalField(
        max_digits=3,
        decimal_places=2,
        read_only=True,
        help_text=_("The mean of the three scores."),
    )
    satisfied = serializers.BooleanField(
        source="is_satisfied", read_only=True, help_text=_("The scores average 4 or more.")
    )
    channel_display = ChoiceLabelField(Channel, source="channel")

    class Meta:
        model = Rating
        fields = [
            "id",
            "url",
            "community",
            "community_name",
            "district",
            "item",
            "item_title",
            "subject",
            *HOUSEHOLD_FIELDS,
            "work_score",
            "process_score",
            "management_score",
            "average",
            "satisfied",
            "comment",
            "comment_hidden",
            "channel",
            "channel_display",
            "rated_on",
            "created_at",
        ]
        staff_only_fields = [*HOUSEHOLD_FIELDS, "comment_hidden"]
        # Required in a write (the model refuses a rating without them), but absent from
        # what the public reads, so not "required" in the response schema.
        extra_kwargs = {
            "building": {"required": False},
            "entrance_unit": {"required": False},
            "room_number": {"required": False},
        }

    @classmethod
    def setup_queryset(cls, queryset):
        return queryset.select_related("community__district", "item")

    @extend_schema_field({"type": "string", "enum": [SUBJECT_COMMUNITY, SUBJECT_ITEM]})
    def get_subject(self, rating: Rating) -> str:
        return SUBJECT_ITEM if rating.item_id else SUBJECT_COMMUNITY

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not personal_data_allowed(self, instance):
            # Hidden, or with any phone number in it masked (as in a repair request).
            comment = "" if instance.comment_hidden else data["comment"]
            data["comment"] = selectors_repairs.public_text(comment)
        return data

    def validate(self, attrs):
        item = attrs.get("item", getattr(self.instance, "item", None))
        if item is not None and "community" not in attrs and self.instance is None:
            attrs["community"] = item.community
        return super().validate(attrs)


class RatingViewSet(DomainViewSet):
    """Residents' ratings (评菜): one per household per subject, anonymous to the public."""

    queryset = Rating.objects.all()
    serializer_class = RatingSerializer
    filterset_class = RatingFilter
    ordering = ["-rated_on", "-id"]
    ordering_fields = ["id", "rated_on", "work_score", "process_score", "management_score"]

    def perform_create(self, serializer):
        try:
            with transaction.atomic():
                serializer.save()
        except IntegrityError as exc:  # the same household a moment earlier
            raise serializers.ValidationError(
                {"non_field_errors": [_("This household has already rated this.")]}
            ) from exc
        self._reload(serializer)


# --- Satisfaction figures ---------------------------------------------------------------------


class SatisfactionQuerySerializer(QuerySerializer):
    district = serializers.SlugRelatedField(
        slug_field="code",
        queryset=District.objects.all(),
        required=False,
        help_text=_("Only this district (6-digit administrative code)."),
    )
    year = serializers.IntegerField(
        required=False,
        min_value=2000,
        max_value=2100,
        help_text=_("Only communities of this renovation batch year."),
    )
    community = serializers.PrimaryKeyRelatedField(
        queryset=Community.objects.all(),
        required=False,
        help_text=_("Only this community; adds the figures of its items."),
    )
    min_ratings = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=10000,
        help_text=_("Rank only subjects with at least this many ratings (default: the city's)."),
    )


def _average(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=3, decimal_places=2, allow_null=True, **kwargs)


def _share(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True, **kwargs)


class FiguresSerializer(serializers.Serializer):
    ratings = serializers.IntegerField()
    satisfied = serializers.IntegerField(help_text=_("Households whose scores average 4 or more."))
    average = _average(help_text=_("Mean of every score, 1 to 5; null without ratings."))
    share_satisfied = _share(help_text=_("Percentage of ratings satisfied."))
    work_average = _average()
    process_average = _average()
    management_average = _average()
    work_share_satisfied = _share(help_text=_("Percentage giving the work itself 4 or 5."))
    process_share_satisfied = _share()
    management_share_satisfied = _share()


class DistrictFiguresSerializer(FiguresSerializer):
    district = serializers.CharField()
    district_name = serializers.CharField()


class YearFiguresSerializer(FiguresSerializer):
    year = serializers.IntegerField(help_text=_("Renovation batch year."))


class CommunityRankSerializer(FiguresSerializer):
    rank = serializers.IntegerField(help_text=_("Equal figures share a rank."))
    community = serializers.IntegerField()
    name = serializers.CharField()
    district = serializers.CharField()
    district_name = serializers.CharField()
    year = serializers.IntegerField(allow_null=True)
    site_url = serializers.CharField()


class ContractorRankSerializer(FiguresSerializer):
    rank = serializers.IntegerField()
    contractor = serializers.CharField()
    items = serializers.IntegerField(help_text=_("Items of this contractor rated."))


class ItemFiguresSerializer(FiguresSerializer):
    item = serializers.IntegerField()
    title = serializers.CharField()
    contractor = serializers.CharField()
    category = serializers.ChoiceField(choices=Category.choices)


class SatisfactionSerializer(serializers.Serializer):
    district = serializers.CharField(allow_null=True)
    year = serializers.IntegerField(allow_null=True)
    community = serializers.IntegerField(allow_null=True)
    min_ratings = serializers.IntegerField(
        help_text=_("Rankings leave out subjects with fewer ratings.")
    )
    overall = FiguresSerializer()
    by_district = DistrictFiguresSerializer(many=True)
    by_year = YearFiguresSerializer(many=True)
    communities = CommunityRankSerializer(many=True)
    unranked_communities = serializers.IntegerField(
        help_text=_("Communities rated fewer than min_ratings times.")
    )
    contractors = ContractorRankSerializer(many=True)
    by_item = ItemFiguresSerializer(
        many=True, allow_null=True, help_text=_("Only with ?community=.")
    )


def _flatten(statistics: dict, request) -> dict:
    """The selector's figures as the serializers' flat rows."""

    def rows(entries, key_of):
        return [{**key_of(entry), **entry["figures"].as_dict()} for entry in entries]

    def site_url(community_id: int) -> str:
        path = reverse("site:community", args=[community_id])
        return request.build_absolute_uri(path) if request is not None else path

    return {
        **{k: statistics[k] for k in ("district", "year", "community", "min_ratings")},
        "overall": statistics["overall"].as_dict(),
        "by_district": rows(
            statistics["by_district"],
            lambda e: {"district": e["district"], "district_name": e["district_name"]},
        ),
        "by_year": rows(statistics["by_year"], lambda e: {"year": e["year"]}),
        "communities": [
            {
                "rank": entry.rank,
                **entry.key,
                "site_url": site_url(entry.key["community"]),
                **entry.figures.as_dict(),
            }
            for entry in statistics["communities"]
        ],
        "unranked_communities": statistics["unranked_communities"],
        "contractors": [
            {"rank": entry.rank, **entry.key, **entry.figures.as_dict()}
            for entry in statistics["contractors"]
        ],
        "by_item": None
        if statistics["by_item"] is None
        else rows(
            statistics["by_item"],
            lambda e: {
                "item": e["item"],
                "title": e["title"],
                "contractor": e["contractor"],
                "category": e["category"],
            },
        ),
    }


class SatisfactionStatsView(APIView):
    """Residents' satisfaction: the city's (or a district's, year's or community's) figures,
    by district and batch year, and the rankings of communities and contractors."""

    schema = ApiAutoSchema()
    permission_classes = [permissions.AllowAny]  # aggregates only; nothing to write
    http_method_names = ["get", "head", "options"]
    query_serializer_class = SatisfactionQuerySerializer

    @extend_schema(
        summary="Satisfaction figures and rankings",
        description=(
            "Averages (1 to 5) and shares satisfied (scores averaging 4 or more) from the "
            "ratings in scope: every rating in a community counts for it, its district and its "
            "batch year; an item's ratings count for its contractor. Rankings leave out "
            "subjects with fewer than `min_ratings` ratings."
        ),
        responses=SatisfactionSerializer,
    )
    def get(self, request):
        query = self.query_serializer_class(data=request.query_params)
        query.is_valid(raise_exception=True)
        district = query.validated_data.get("district")
        community = query.validated_data.get("community")
        statistics = selectors_participation.city_satisfaction(
            district=district.code if district else None,
            year=query.validated_data.get("year"),
            community=community.pk if community else None,
            min_ratings=query.validated_data.get("min_ratings"),
        )
        return Response(SatisfactionSerializer(_flatten(statistics, request)).data)
