"""``/api/v1/photos/``: community photos, public to read, uploaded by staff in scope.

A photo is uploaded as ``multipart/form-data`` with its ``image`` file; the answer gives the
URLs of its two web sizes (``image``, ``thumbnail``) and their dimensions. The upload itself
is never stored (``construction.imaging``).
"""

import django_filters
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, serializers

from communities.construction.choices import PhotoPhase
from communities.construction.photo_models import Photo
from communities.core.api.base import DomainSerializer, DomainViewSet
from communities.core.api.fields import ChoiceLabelField
from communities.core.filters import DateFilter, FilterSet, IntegerFilter
from communities.core.scoping import in_scope
from communities.places.filters import district_filter


class PhotoFilter(FilterSet):
    community = IntegerFilter(field_name="community_id", label=_("Community id"))
    item = IntegerFilter(field_name="item_id", label=_("Renovation item id"))
    inspection = IntegerFilter(field_name="inspection_id", label=_("Inspection id"))
    acceptance = IntegerFilter(field_name="acceptance_id", label=_("Acceptance id"))
    district = district_filter("community__district")
    phase = django_filters.ChoiceFilter(choices=PhotoPhase.choices, label=_("Phase"))
    taken_after = DateFilter(field_name="taken_on", lookup_expr="gte", label=_("Taken on or after"))
    taken_before = DateFilter(
        field_name="taken_on", lookup_expr="lte", label=_("Taken on or before")
    )

    class Meta:
        model = Photo
        fields = ["community", "item", "inspection", "acceptance", "district", "phase"]


class PhotoSerializer(DomainSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:photo-detail")
    phase_display = ChoiceLabelField(PhotoPhase, source="phase")
    image = serializers.FileField(
        use_url=True,
        max_length=200,
        help_text=_(
            "Upload: a JPEG, PNG or WebP file of at most 10 MB (multipart/form-data). "
            "Read: the URL of the large size (at most 1600 pixels on its longest side)."
        ),
    )
    thumbnail = serializers.FileField(
        read_only=True,
        use_url=True,
        help_text=_("The URL of the thumbnail (at most 400 pixels on its longest side)."),
    )
    alt = serializers.CharField(read_only=True, help_text=_("The text alternative of the photo."))

    class Meta:
        model = Photo
        fields = [
            "id",
            "url",
            "community",
            "item",
            "inspection",
            "acceptance",
            "phase",
            "phase_display",
            "taken_on",
            "caption",
            "alt",
            "image",
            "width",
            "height",
            "thumbnail",
            "thumbnail_width",
            "thumbnail_height",
        ]
        read_only_fields = ["width", "height", "thumbnail_width", "thumbnail_height"]

    @classmethod
    def setup_queryset(cls, queryset):
        return queryset.select_related("item")

    def validate(self, attrs):
        # The community's scope first: a photo for another district is refused before its
        # file is decoded (and never written to storage, even for a moment).
        community = attrs.get("community") or getattr(self.instance, "community", None)
        request = self.context.get("request")
        if community is not None and request is not None and not in_scope(request.user, community):
            raise exceptions.PermissionDenied(
                _("You may only create or change records of your own districts.")
            )
        return super().validate(attrs)


class PhotoViewSet(DomainViewSet):
    """Photos of communities and their items, before, during and after the works; public to
    read (every photo: see ``PhotoQuerySet.public``)."""

    queryset = Photo.objects.all()
    serializer_class = PhotoSerializer
    filterset_class = PhotoFilter
    ordering = ["-taken_on", "-id"]
    ordering_fields = ["id", "taken_on", "phase"]

    def public_queryset(self, queryset):
        return queryset.public()
