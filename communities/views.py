"""The public, read-only website."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from communities import selectors
from communities.models import Community, District


def home(request):
    return render(request, "communities/home.html", {"stats": selectors.city_statistics()})


def community_list(request):
    communities = Community.objects.select_related("district").order_by("district__code", "name")
    page = Paginator(communities, 50).get_page(request.GET.get("page"))
    return render(request, "communities/community_list.html", {"page": page})


def community_detail(request, pk: int):
    community = get_object_or_404(Community.objects.select_related("district"), pk=pk)
    items = community.items.select_related("kind", "building").order_by("kind__category", "id")
    return render(
        request, "communities/community_detail.html", {"community": community, "items": items}
    )


def district_detail(request, code: str):
    district = get_object_or_404(District, code=code)
    return render(
        request,
        "communities/district_detail.html",
        {"district": district, "stats": selectors.city_statistics(district=code)},
    )
