"""Writes of places with consequences: a building's appraisals, and its grade that follows them.

A building's safety grade, appraisal date and appraiser are the newest appraisal record's
(``BuildingAppraisal``): they change only by adding an appraisal here, never by editing the
building (``Building.clean_grade_from_appraisals`` refuses that on every path).
"""

from datetime import date

from django.db import transaction

from communities.places.choices import SafetyGrade
from communities.places.models import Building, BuildingAppraisal

# The reason written in the building's history when its grade follows a new appraisal.
GRADE_FROM_APPRAISAL = "appraisal"


@transaction.atomic
def building_appraisal_add(
    *,
    building: Building,
    appraised_on: date,
    grade: str,
    appraiser: str,
    report=None,
    note: str = "",
    by=None,
) -> BuildingAppraisal:
    """Record an appraisal of ``building``; if it is the newest, the building takes its grade,
    date and appraiser (in the building's history, by ``by``). Raises ``ValidationError`` for
    an appraisal that is invalid (a date in the future, no grade)."""
    appraisal = BuildingAppraisal(
        building=building,
        appraised_on=appraised_on,
        grade=grade,
        appraiser=appraiser,
        note=note,
    )
    if report is not None:
        appraisal.report = report
    if by is not None:
        appraisal._history_user = by
    appraisal.full_clean()
    appraisal.save()
    building_grade_sync(building=building, by=by)
    return appraisal


@transaction.atomic
def building_grade_sync(*, building: Building, by=None) -> Building:
    """Give ``building`` its newest appraisal's grade, date and appraiser (on a locked copy;
    the caller's instance is brought up to date). Without any appraisal it stays as it is."""
    locked = Building.objects.select_for_update(of=("self",)).get(pk=building.pk)
    latest = locked.latest_appraisal()
    if latest is None:
        return building
    values = {
        "safety_grade": latest.grade,
        "appraised_on": latest.appraised_on,
        "appraiser": latest.appraiser,
    }
    if all(getattr(locked, name) == value for name, value in values.items()):
        return building
    for name, value in values.items():
        setattr(locked, name, value)
        setattr(building, name, value)
    locked._change_reason = GRADE_FROM_APPRAISAL
    if by is not None:
        locked._history_user = by
    locked.full_clean()
    locked.save(update_fields=list(values))
    return building


@transaction.atomic
def building_appraisal_record_initial(*, building: Building, by=None) -> BuildingAppraisal | None:
    """A building entered with the appraisal it already has (grade, date, appraiser) gets that
    appraisal as its first record, so its grade rests on a record like any other. Nothing
    happens for an unappraised building or one that already has appraisals."""
    if building.safety_grade == SafetyGrade.UNAPPRAISED or building.appraisals.exists():
        return None
    appraisal = BuildingAppraisal(
        building=building,
        appraised_on=building.appraised_on,
        grade=building.safety_grade,
        appraiser=building.appraiser or "",
        note="",
    )
    if by is not None:
        appraisal._history_user = by
    appraisal.full_clean()
    appraisal.save()
    return appraisal
