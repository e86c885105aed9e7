"""The city's statistics: the shape of ``reporting.selectors.city_statistics``, with labels."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from communities.core.api.fields import ChoiceLabelField
from communities.places.api.serializers import DistrictYearQuerySerializer
from communities.works.choices import Category, FacilityKind


def money(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=None, decimal_places=2, **kwargs)


class StatisticsQuerySerializer(DistrictYearQuerySerializer):
    """``?district=`` and ``?year=``: an unknown district or a malformed year is a 400."""


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
    by_district = DistrictBreakdownSerializer(many=True)
    by_year = YearBreakdownSerializer(many=True)
    by_category = CategoryBreakdownSerializer(many=True)
    facilities_by_kind = FacilityKindSerializer(many=True)
