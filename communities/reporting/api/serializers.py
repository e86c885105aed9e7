"""The city's statistics: the shape of ``reporting.selectors.city_statistics``, with labels;
the regions with their figures and progress."""

import re
from datetime import date

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from communities.core import clock
from communities.core.api.base import DomainSerializer, QuerySerializer
from communities.core.api.fields import ChoiceLabelField, SiteURLField
from communities.places.api.serializers import DistrictYearQuerySerializer
from communities.places.choices import RegionLevel
from communities.places.models import Region
from communities.works.choices import Category, FacilityKind

# The first day the figures can be asked for: the programme's records start in 2000 (the
# earliest batch year a community may carry).
AS_OF_FIRST = date(2000, 1, 1)
REGION_CODE = re.compile(r"^[0-9]{2}([0-9]{2})?$")


def money(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=None, decimal_places=2, **kwargs)


def check_as_of(value: date) -> date:
    """A day from 2000-01-01 to today: the figures of another day do not exist (yet)."""
    today = clock.today()
    if not AS_OF_FIRST <= value <= today:
        raise serializers.ValidationError(
            _("Give a day from %(first)s to today (%(today)s).")
            % {"first": AS_OF_FIRST.isoformat(), "today": today.isoformat()}
        )
    return value


def as_of_field() -> serializers.DateField:
    return serializers.DateField(
        required=False,
        help_text=_(
            "The figures as they stood at the end of this day (YYYY-MM-DD, from 2000-01-01 to "
            "today), from the records' dates; see the documentation for what carries no date."
        ),
    )


class AsOfQuerySerializer(QuerySerializer):
    """``?as_of=YYYY-MM-DD``: a malformed day, or one before 2000 or after today, is a 400."""

    as_of = as_of_field()

    def validate_as_of(self, value: date) -> date:
        return check_as_of(value)


class StatisticsQuerySerializer(DistrictYearQuerySerializer):
    """``?district=``, ``?region=``, ``?year=`` and ``?as_of=``: an unknown district or region,
    a malformed year or day, or a district and a region together, is a 400."""

    region = serializers.CharField(
        required=False,
        max_length=4,
        help_text=_(
            "Only this province (2-digit code) or city (4-digit code): every district whose "
            "code starts with it."
        ),
    )
    as_of = as_of_field()

    def validate_region(self, value: str) -> str:
        if not REGION_CODE.match(value):
            raise serializers.ValidationError(
                _("Enter a 2-digit province code or a 4-digit city code.")
            )
        if not Region.objects.filter(code=value).exists():
            raise serializers.ValidationError(
                _("There is no region with the code %(code)s.") % {"code": value}
            )
        return value

    def validate_as_of(self, value: date) -> date:
        return check_as_of(value)

    def validate(self, attrs: dict) -> dict:
        if attrs.get("district") and attrs.get("region"):
            raise serializers.ValidationError(
                {"region": [_("Give a district or a region, not both.")]}
            )
        return attrs


class OC4IDSQuerySerializer(QuerySerializer):
    """``?region=`` (a province's, city's or district's code), ``?year=``, ``?page=`` and
    ``?page_size=`` of the OC4IDS package."""

    region = serializers.RegexField(
        r"^[0-9]{2}(?:[0-9]{2}(?:[0-9]{2})?)?$",
        required=False,
        max_length=6,
        help_text=_("Only this province (2 digits), city (4 digits) or district (6 digits)."),
        error_messages={
            "invalid": _("Enter a 2-digit province, 4-digit city or 6-digit district code.")
        },
    )
    year = serializers.IntegerField(
        required=False, min_value=2000, max_value=2100, help_text=_("Only this batch year.")
    )
    page = serializers.IntegerField(required=False, min_value=1, max_value=1_000_000)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=200)


def percent(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=None, decimal_places=1, allow_null=True, read_only=True, **kwargs
    )


class ProgressSerializer(serializers.Serializer):
    """Physical and financial progress with the sums they are computed from."""

    physical_progress = percent(
        help_text=_("Items' progress weighted by their budgets (%); null without items.")
    )
    financial_progress = percent(
        help_text=_("Spent over budget (%); null where the budgets add up to 0.")
    )
    items = serializers.IntegerField(help_text=_("Items not cancelled."))
    budget = serializers.DecimalField(max_digits=None, decimal_places=2)
    spent = serializers.DecimalField(max_digits=None, decimal_places=2)


class FormulaSerializer(serializers.Serializer):
    """How the progress figures are computed, in words, so that anyone can recompute them."""

    physical_progress = serializers.CharField()
    financial_progress = serializers.CharField()
    documentation = serializers.CharField(help_text=_("Where the formulas are explained."))


class DistrictBreakdownSerializer(serializers.Serializer):
    district = serializers.CharField(help_text=_("Administrative code."))
    district_name = serializers.CharField()
    communities = serializers.IntegerField()
    communities_renovated = serializers.IntegerField()
    under_construction = serializers.IntegerField()
    planned = serializers.IntegerField()
    renovated_floor_area_m2 = money()
    households_benefited = serializers.IntegerField()
    budget = money(help_text=_("Budget of the items not cancelled (yuan)."))
    spent = money(help_text=_("Spent on the items not cancelled (yuan)."))


class YearBreakdownSerializer(serializers.Serializer):
    year = serializers.IntegerField(help_text=_("Renovation batch year."))
    communities = serializers.IntegerField()
    communities_renovated = serializers.IntegerField()
    renovated_floor_area_m2 = money()
    households_benefited = serializers.IntegerField()
    budget = money()
    spent = money()


class CategoryBreakdownSerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=Category.choices)
    category_display = ChoiceLabelField(Category, source="category")
    items = serializers.IntegerField()
    budget = money()
    spent = money()


class FacilityKindSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=FacilityKind.choices)
    kind_display = ChoiceLabelField(FacilityKind, source="kind")
    facilities = serializers.IntegerField(help_text=_("Facilities open today."))
    capacity = serializers.IntegerField()
    area_m2 = money()


class StatisticsSerializer(serializers.Serializer):
    """The headline figures and their breakdowns, for the whole city or the filtered part."""

    district = serializers.CharField(
        allow_null=True, help_text=_("The district filtered on, or null for the whole city.")
    )
    year = serializers.IntegerField(
        allow_null=True, help_text=_("The batch year filtered on, or null for every year.")
    )
    communities_renovated = serializers.IntegerField(
        help_text=_("Communities whose renovation is completed.")
    )
    renovated_floor_area_m2 = money(help_text=_("Floor area of the completed communities (m²)."))
    households_benefited = serializers.IntegerField(
        help_text=_("Households of the completed communities.")
    )
    elevators_in_service = serializers.IntegerField(
        help_text=_("Retrofitted elevators in service.")
    )
    children_play_area_m2 = money(help_text=_("Area of children's play areas open today (m²)."))
    communities_with_property_service = serializers.IntegerField(
        help_text=_("Communities with a property service contract covering today.")
    )
    region = serializers.CharField(allow_null=True, help_text=_("The region filtered on, or null."))
    as_of = serializers.DateField(
        allow_null=True, help_text=_("The day the figures are as of, or null for today.")
    )
    progress = ProgressSerializer(help_text=_("Progress of the items in scope (today's)."))
    formula = FormulaSerializer()
    by_district = DistrictBreakdownSerializer(many=True)
    by_year = YearBreakdownSerializer(many=True)
    by_category = CategoryBreakdownSerializer(many=True)
    facilities_by_kind = FacilityKindSerializer(many=True)


# --- Regions ----------------------------------------------------------------------------------


class AreaFiguresSerializer(ProgressSerializer):
    """A region's (or district's) headline figures and progress, the sums of its districts'."""

    districts = serializers.IntegerField()
    communities = serializers.IntegerField(help_text=_("Communities in the records."))
    communities_renovated = serializers.IntegerField()
    under_construction = serializers.IntegerField()
    renovated_floor_area_m2 = money()
    households_benefited = serializers.IntegerField()
    elevators_in_service = serializers.IntegerField()
    children_play_area_m2 = money()
    communities_with_property_service = serializers.IntegerField()


class RegionSerializer(DomainSerializer):
    """A province or city with its figures (from the view's ``figures``, computed once)."""

    url = serializers.HyperlinkedIdentityField(view_name="api:region-detail", lookup_field="code")
    site_url = SiteURLField()
    level_display = ChoiceLabelField(RegionLevel, source="level")
    parent = serializers.SerializerMethodField(
        help_text=_("The code of the province above a city; null for a province.")
    )
    children_count = serializers.SerializerMethodField(
        help_text=_("A province's cities, or a city's districts.")
    )
    figures = serializers.SerializerMethodField()

    class Meta:
        model = Region
        fields = [
            "code",
            "url",
            "site_url",
            "name",
            "name_en",
            "level",
            "level_display",
            "parent",
            "children_count",
            "figures",
        ]
        read_only_fields = fields

    def get_parent(self, region: Region) -> str | None:
        return region.parent_code or None

    def get_children_count(self, region: Region) -> int:
        if region.level == RegionLevel.PROVINCE:
            return self.context["cities"].get(region.code, 0)
        return self.context["figures"].get(region.code, {}).get("districts", 0)

    @extend_schema_field(AreaFiguresSerializer)
    def get_figures(self, region: Region) -> dict:
        return AreaFiguresSerializer(self.context["figures"].get(region.code, EMPTY_FIGURES)).data


class ChildAreaSerializer(AreaFiguresSerializer):
    """A city or district under a region, with its figures."""

    code = serializers.CharField()
    name = serializers.CharField()
    site_url = serializers.CharField()


class RegionDetailSerializer(RegionSerializer):
    """A region with its children (a province's cities, a city's districts) and the formula."""

    children = serializers.SerializerMethodField()
    formula = serializers.SerializerMethodField()

    class Meta(RegionSerializer.Meta):
        fields = [*RegionSerializer.Meta.fields, "children", "formula"]
        read_only_fields = fields

    @extend_schema_field(ChildAreaSerializer(many=True))
    def get_children(self, region: Region) -> list:
        return ChildAreaSerializer(self.context["children"], many=True).data

    @extend_schema_field(FormulaSerializer)
    def get_formula(self, region: Region) -> dict:
        return FormulaSerializer(self.context["formula"]).data


EMPTY_FIGURES = {
    **dict.fromkeys(AreaFiguresSerializer().fields, 0),
    "physical_progress": None,
    "financial_progress": None,
}
