"""Load Tai'an's demo data: deterministic, and idempotent (a second run changes nothing)."""

from decimal import Decimal
from time import perf_counter

from django.core.management.base import BaseCommand, CommandError

from communities.core.money import CENT
from communities.demo.store import DemoDataError, load_demo
from communities.reporting import selectors


class Command(BaseCommand):
    help = (
        "Load the demo data of Tai'an (泰安市): its six districts, the communities the 2023 "
        "report names and generated ones, so that the city's headline figures come out exactly. "
        "A second run changes nothing; --reset deletes the demo data and loads it again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete the demo communities (and all that hangs from them) and load them again.",
        )

    def handle(self, *args, reset: bool = False, **options):
        began = perf_counter()
        try:
            result = load_demo(reset=reset)
        except DemoDataError as exc:
            raise CommandError(str(exc)) from exc
        elapsed = perf_counter() - began
        if result.created:
            # Bulk inserts send no signals: drop the cached statistics by hand.
            selectors.invalidate_statistics()
            counts = ", ".join(
                f"{count:,} {model._meta.verbose_name_plural}"
                for model, count in result.counts.items()
            )
            self.stdout.write(
                self.style.SUCCESS(f"Tai'an demo data loaded in {elapsed:.1f} s: {counts}.")
            )
        else:
            self.stdout.write("Tai'an demo data is already loaded; nothing changed.")
        figures = selectors.headline_figures()
        area = Decimal(figures["renovated_floor_area_m2"]).quantize(CENT)
        play_area = Decimal(figures["children_play_area_m2"]).quantize(CENT)
        self.stdout.write(
            "Headline figures: "
            f"{figures['communities_renovated']} communities renovated, "
            f"{area:,} m², "
            f"{figures['households_benefited']:,} households, "
            f"{figures['elevators_in_service']} elevators in service, "
            f"{play_area:,} m² of children's play area, "
            f"{figures['communities_with_property_service']} communities under property service."
        )
