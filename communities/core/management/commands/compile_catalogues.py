"""Compile every .po catalogue under LOCALE_PATHS to .mo with polib: no GNU gettext needed."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Compile the translation catalogues (.po → .mo) without system gettext."

    def handle(self, *args, **options):
        try:
            import polib
        except ImportError as exc:  # a dev dependency
            raise CommandError("polib is needed: pip install '.[dev]'") from exc
        compiled = 0
        for root in settings.LOCALE_PATHS:
            for po_path in sorted(Path(root).glob("*/LC_MESSAGES/*.po")):
                catalogue = polib.pofile(str(po_path))
                catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))
                compiled += 1
                self.stdout.write(
                    f"{po_path}: {len(catalogue.translated_entries())} translated, "
                    f"{len(catalogue.untranslated_entries())} untranslated, "
                    f"{len(catalogue.fuzzy_entries())} fuzzy"
                )
        self.stdout.write(self.style.SUCCESS(f"{compiled} catalogue(s) compiled"))
