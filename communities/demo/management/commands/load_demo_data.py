"""Load Tai'an's demo data: deterministic, and idempotent (a second run changes nothing)."""

from datetime import date
from decimal import Decimal
from time import perf_counter

from django.core.management.base import BaseCommand, CommandError

from communities.core import clock
from communities.core.money import CENT
from communities.demo import taian
from communities.demo.store import DemoDataError, load_demo
from communities.reporting import selectors


class Command(BaseCommand):
    help = (
        "Load the demo data of Tai'an (泰安市): its six districts, the communities the 2023 "
        "report names and generated ones, so that the city's headline figures of the report "
        "(2023-03-25) come out exactly as of that day, then later batches up to --today. "
        "A second run changes nothing; --reset deletes the demo data and loads it again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete the demo communities (and all that hangs from them) and load them again.",
        )
        parser.add_argument(
            "--today",
            metavar="YYYY-MM-DD",
            help=(
                "The day the demo is loaded as of: its timeline runs from the programme's start "
                "through the report of 2023-03-25 up to this day (default: today, local date)."
            ),
        )

    def handle(self, *args, reset: bool = False, today: str | None = None, **options):
        day = clock.today()
        if today:
            try:
                day = date.fromisoformat(today)
            except ValueError as exc:
                raise CommandError(f"--today must be a date as YYYY-MM-DD, not {today!r}.") from exc
        began = perf_counter()
        try:
            result = load_demo(reset=reset, today=day)
        except DemoDataError as exc:
            raise CommandError(str(exc)) from exc
        elapsed = perf_counter() - began
        if result.created:
            # Bulk inserts send no signals: drop the cached statistics by hand.
            selectors.invalidate_statistics()
            counts = ", ".join(
                f"{count:,} {model._meta.verbose_name_plural}"
                for model, count in result.counts.items()
                # A many-to-many table (a plan's communities) is not a record a reader counts.
                if not model._meta.auto_created
            )
            self.stdout.write(
                self.style.SUCCESS(
                    f"Tai'an demo data loaded as of {day} in {elapsed:.1f} s: {counts}."
                )
            )
        elif result.other_day:
            self.stdout.write(
                "Tai'an demo data is already loaded, as of another day; nothing changed "
                f"(--reset reloads it as of {day})."
            )
        else:
            self.stdout.write("Tai'an demo data is already loaded; nothing changed.")
        self.stdout.write(
            f"On {taian.REPORT_DAY}: "
            + _figures(selectors.headline_figures(as_of=taian.REPORT_DAY))
        )
        self.stdout.write("Today: " + _figures(selectors.headline_figures()))


def _figures(figures: dict) -> str:
    area = Decimal(figures["renovated_floor_area_m2"]).quantize(CENT)
    play_area = Decimal(figures["children_play_area_m2"]).quantize(CENT)
    return (
        f"{figures['communities_renovated']} communities renovated, "
        f"{area:,} m², "
        f"{figures['households_benefited']:,} households, "
        f"{figures['elevators_in_service']} elevators in service, "
        f"{play_area:,} m² of children's play area, "
        f"{figures['communities_with_property_service']} communities under property service."
    )
