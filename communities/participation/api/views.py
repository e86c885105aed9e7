"""``/api/v1/proposals/`` (点菜), ``/api/v1/ratings/`` (评菜) and
``/api/v1/stats/satisfaction/``."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from communities.core.api.base import ApiAutoSchema, DomainViewSet, HoldsPermission, raise_api_error
from communities.participation.api.serializers import (
    AdoptSerializer,
    DeclineSerializer,
    ProposalSerializer,
    RatingSerializer,
    SatisfactionQuerySerializer,
    SatisfactionSerializer,
)
from communities.participation.filters import ProposalFilter, RatingFilter
from communities.participation.models import Proposal, Rating
from communities.participation.selectors import city_satisfaction
from communities.participation.services import proposal_adopt, proposal_decline


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
        except DjangoValidationError as exc:
            raise_api_error(exc)
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
        return self._decide(request, proposal_adopt, AdoptSerializer)

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
        return self._decide(request, proposal_decline, DeclineSerializer)


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
        statistics = city_satisfaction(
            district=district.code if district else None,
            year=query.validated_data.get("year"),
            community=community.pk if community else None,
            min_ratings=query.validated_data.get("min_ratings"),
        )
        return Response(SatisfactionSerializer(_flatten(statistics, request)).data)
