"""``manage.py generate_scale_data --communities N [--seed S]``: national-scale data for
benchmarks and load tests (see ``communities.scale.generate`` for what it makes).
``--extend [--seed S]`` fills only the newer tables (annual plans, item quantities, parties,
inspections, findings, rectification orders: ``communities.scale.extend``) of a database
generated before they existed, once."""

import time

from django.core.management.base import BaseCommand, CommandError

from communities.scale.generate import ScaleGenerator


class Command(BaseCommand):
    help = (
        "Fill the database with synthetic national-scale data: N communities with buildings, "
        "renovation items and funding, elevator retrofits and votes, property services and "
        "repair requests (220,000 communities is the national programme). Adds to what is "
        "there; deterministic for a given seed. --extend fills only the newer tables (plans, "
        "quantities, parties, inspections, orders) of a database generated before them."
    )

    def add_arguments(self, parser):
        parser.add_argument("--communities", type=int, help="How many (N).")
        parser.add_argument(
            "--extend",
            action="store_true",
            help=(
                "Fill only the newer tables for the communities already generated (refused "
                "when they are filled already)."
            ),
        )
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (default 2026).")

    def handle(self, *args, communities: int | None, seed: int, extend: bool, **options):
        if extend and communities is not None:
            raise CommandError("Give either --communities or --extend, not both.")
        if not extend and communities is None:
            raise CommandError("Give --communities N (or --extend).")
        if not extend and communities < 1:
            raise CommandError("--communities must be 1 or more.")
        started = time.monotonic()

        def progress(message: str) -> None:
            self.stdout.write(f"[{time.monotonic() - started:7.1f}s] {message}")

        generator = ScaleGenerator(communities=communities or 0, seed=seed, progress=progress)
        try:
            counts = generator.extend() if extend else generator.run()
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        summary = ", ".join(
            f"{value:,} {name.replace('_', ' ')}"
            for name, value in vars(counts).items()
            if value or not extend
        )
        self.stdout.write(
            self.style.SUCCESS(f"Created {summary} in {time.monotonic() - started:.1f}s.")
        )
