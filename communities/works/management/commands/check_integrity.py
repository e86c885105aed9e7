"""Report the records that break the rules of issue 15 (decisions stay decided).

Imported legacy data, or rows written before the rules existed, may break them: a community
marked completed with open items, its dates not its items', a completed item in a community
that has not started, a completion date in the future, a graded building with no appraisal
record. This command reports each one; it changes nothing (a fix is a decision for staff:
complete the items, set the community back under construction, add the appraisal record).
It exits with status 1 when it found anything, so a scheduled run can alert.

It also lists, without failing, items accepted before acceptance became a record (issue 17):
they are grandfathered, and staff enter the acceptance record they rest on.
"""

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count, Exists, Max, Min, OuterRef, Q

from communities.core.clock import today
from communities.places.choices import RenovationStatus, SafetyGrade
from communities.places.models import Building, BuildingAppraisal, Community
from communities.works.choices import ItemStatus
from communities.works.models.items import RenovationItem

STARTED = [RenovationStatus.UNDER_CONSTRUCTION, RenovationStatus.COMPLETED]
NOT_STARTED = [RenovationStatus.NOT_STARTED, RenovationStatus.PLANNED]


def broken_communities() -> list[tuple[Community, list[str]]]:
    """Each community that breaks a rule, with what it breaks (one query)."""
    live = ~Q(items__status=ItemStatus.CANCELLED)
    finished = Q(items__status__in=ItemStatus.finished())
    communities = (
        Community.objects.select_related("district")
        .annotate(
            open_items=Count("items", filter=live & ~finished),
            finished_items=Count("items", filter=finished),
            first_start=Min("items__actual_start", filter=live),
            last_end=Max("items__actual_end", filter=finished),
            future_ends=Count("items", filter=Q(items__actual_end__gt=today())),
        )
        .filter(
            Q(renovation_status=RenovationStatus.COMPLETED, open_items__gt=0)
            | Q(renovation_status=RenovationStatus.COMPLETED, last_end__isnull=False)
            | Q(renovation_status__in=STARTED, first_start__isnull=False)
            | Q(renovation_status__in=NOT_STARTED, finished_items__gt=0)
            | Q(completed_on__gt=today())
            | Q(future_ends__gt=0)
        )
        .order_by("district__code", "name_sort", "id")
    )
    found = []
    for community in communities:
        problems = _problems(community)
        if problems:
            found.append((community, problems))
    return found


def _problems(community: Community) -> list[str]:
    problems = []
    status = community.renovation_status
    if status == RenovationStatus.COMPLETED and community.open_items:
        problems.append(f"completed with {community.open_items} open item(s)")
    if (
        status == RenovationStatus.COMPLETED
        and community.last_end
        and community.completed_on != community.last_end
    ):
        problems.append(
            f"completed on {community.completed_on}, its last item on {community.last_end}"
        )
    if (
        status in STARTED
        and community.first_start
        and community.started_on != community.first_start
    ):
        problems.append(
            f"started on {community.started_on}, its first item on {community.first_start}"
        )
    if status in NOT_STARTED and community.finished_items:
        problems.append(
            f"{community.finished_items} completed item(s) but the works have not started"
        )
    if community.completed_on and community.completed_on > today():
        problems.append(f"completion date {community.completed_on} is in the future")
    if community.future_ends:
        problems.append(f"{community.future_ends} item(s) completed in the future")
    return problems


def buildings_without_appraisal():
    """Graded buildings whose grade rests on no appraisal record (one query)."""
    recorded = BuildingAppraisal.objects.filter(building=OuterRef("pk"))
    return (
        Building.objects.exclude(safety_grade=SafetyGrade.UNAPPRAISED)
        .exclude(Exists(recorded))
        .select_related("community__district")
        .order_by("community__district__code", "community_id", "label_sort")
    )


def accepted_without_record():
    """Items accepted before acceptance became a record (issue 17): grandfathered, listed so
    that staff can enter the record they rest on; they do not fail the check (one query).
    Acceptance records belong to construction, a part above this one: read by name."""
    try:
        acceptance = apps.get_model("communities", "Acceptance")
    except LookupError:
        return RenovationItem.objects.none()
    recorded = acceptance.objects.filter(
        item=OuterRef("pk"),
        conclusion__in=["accepted", "with_conditions"],
        recorded_on__isnull=False,
    )
    return (
        RenovationItem.objects.filter(status=ItemStatus.ACCEPTED)
        .exclude(Exists(recorded))
        .select_related("community__district")
        .order_by("community__district__code", "community_id", "id")
    )


class Command(BaseCommand):
    help = (
        "Report communities whose status or dates do not follow their items, completed items "
        "in communities not started, completion dates in the future, and graded buildings "
        "without an appraisal record. Changes nothing; exits with status 1 if any are found."
    )

    def handle(self, *args, **options):
        communities = broken_communities()
        for community, problems in communities:
            self.stdout.write(
                f"community {community.pk} {community.district.code} {community.name}: "
                + "; ".join(problems)
            )
        buildings = list(buildings_without_appraisal())
        for building in buildings:
            self.stdout.write(
                f"building {building.pk} {building.community.district.code} {building}: "
                f"graded {building.safety_grade} without an appraisal record"
            )
        for item in accepted_without_record():
            self.stdout.write(
                f"item {item.pk} {item.community.district.code} {item.community.name} "
                f"{item.title}: accepted without an acceptance record (grandfathered; enter "
                "the record)"
            )
        if communities or buildings:
            raise CommandError(
                f"{len(communities)} community(ies) and {len(buildings)} building(s) break the "
                "rules (reported above; nothing was changed)."
            )
        self.stdout.write(self.style.SUCCESS("Every community follows its items."))
