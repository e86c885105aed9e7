"""``/api/v1/proposals/``, ``/api/v1/design-plans/``, ``/api/v1/ratings/`` and
``/api/v1/stats/satisfaction/``: residents take part (点菜, 炒菜, 评菜).

The same conventions as every resource (``api/base.py``): anyone reads, a token whose user
holds the model permission writes, and every write passes the model's own validation. The
WeChat mini-program writes with a token whose user holds ``add_proposal`` and ``add_rating``.

- Deciding a proposal (``adopt``, ``decline``) needs ``decide_proposal``; putting a plan up
  for notice and approving it needs ``approve_designplan``. Both go through
  ``communities.participation.services``; a record in the wrong state answers 409.
- Draft plans are seen only by users who may change plans; everybody else sees a plan once
  it is put up for public notice.
- A rating's household (building, entrance unit, room) and whether its comment is hidden are
  staff-only; a hidden comment reaches the public empty. Ratings cannot be filtered by
  household, so no one can look up what a household said.
- Phone numbers in the free text (a proposal's title, description and reason for declining, a
  rating's comment) reach everybody but the record's staff masked, as on the public site.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from communities.core.api.base import DomainSerializer, status_code_field
from communities.core.api.fields import ChoiceLabelField, SiteURLField, personal_data_allowed
from communities.core.masking import public_text
from communities.participation.choices import Channel, ProposalStatus
from communities.participation.models import Proposal, Rating
from communities.places.api.serializers import DistrictYearQuerySerializer
from communities.places.models import Community
from communities.works.choices import Category, ItemStatus
from communities.works.models.items import RenovationItem, RenovationKind

SUBJECT_COMMUNITY, SUBJECT_ITEM = "community", "item"


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
                data[name] = public_text(data[name])
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
            data["comment"] = public_text(comment)
        return data

    def validate(self, attrs):
        item = attrs.get("item", getattr(self.instance, "item", None))
        if item is not None and "community" not in attrs and self.instance is None:
            attrs["community"] = item.community
        return super().validate(attrs)


# --- Satisfaction figures ---------------------------------------------------------------------


class SatisfactionQuerySerializer(DistrictYearQuerySerializer):
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
