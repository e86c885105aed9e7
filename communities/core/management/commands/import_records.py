"""Import a large spreadsheet outside the admin, with the same rules as the admin's import."""

from pathlib import Path

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from import_export.formats.base_formats import CSV, XLSX

from communities.core.history import EditSource, recorded_from


def importable() -> dict[str, type]:
    """Each model staff import (its admin names ``resource_classes``) by name, with its
    resource: the same rules as the admin's import."""
    return {
        model._meta.model_name: model_admin.resource_classes[0]
        for model, model_admin in admin.site._registry.items()
        if getattr(model_admin, "resource_classes", None)
    }


FORMATS = {".csv": CSV, ".xlsx": XLSX}


class Command(BaseCommand):
    help = (
        "Import MODEL records (community, building, renovationitem, fundingline, facility) from "
        "an .xlsx or .csv file with the columns of the admin's import template, headed by the "
        "fields' names in Chinese or English or by their codes (name, year_built: the headers "
        "of older files); a choice may be its label in either language or its code. Every row is "
        "checked like a form; if any row is invalid nothing is saved and each bad row is "
        "reported. --user imports within that staff user's districts and records them as the "
        "author of the changes."
    )

    def add_arguments(self, parser):
        parser.add_argument("model", choices=sorted(importable()))
        parser.add_argument("path", type=Path)
        parser.add_argument("--user", default="", help="Import as this user (their scope).")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check every row and report; save nothing."
        )

    def handle(self, *args, model, path, user, dry_run, **options):
        file_format = FORMATS.get(path.suffix.lower())
        if file_format is None:
            raise CommandError("The file must be .xlsx or .csv.")
        if not path.is_file():
            raise CommandError(f"No file {path}.")
        importer = None
        if user:
            importer = get_user_model().objects.filter(username=user, is_active=True).first()
            if importer is None:
                raise CommandError(f"No active user {user!r}.")

        fmt = file_format(encoding="utf-8-sig") if file_format is CSV else file_format()
        with path.open("rb" if fmt.is_binary() else "r", **_text_options(fmt)) as stream:
            dataset = fmt.create_dataset(stream.read())
        resource = importable()[model](user=importer)
        with recorded_from(EditSource.IMPORT):
            result = resource.import_data(
                dataset,
                dry_run=dry_run,
                use_transactions=True,
                rollback_on_validation_errors=True,
                raise_errors=False,
            )

        problems = _problems(result)
        if problems:
            for line in problems:
                self.stderr.write(line)
            raise CommandError(
                f"{len(problems)} invalid row(s) of {len(dataset)}: nothing was imported."
            )
        totals = result.totals
        verb = "Would import" if dry_run else "Imported"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} {len(dataset)} row(s): {totals.get('new', 0)} new, "
                f"{totals.get('update', 0)} changed."
            )
        )


def _text_options(fmt) -> dict:
    return {} if fmt.is_binary() else {"encoding": "utf-8-sig", "newline": ""}


def _problems(result) -> list[str]:
    """One line per bad row: its number in the file (the header is row 1) and its messages."""
    lines = []
    for invalid in result.invalid_rows:
        messages = "; ".join(
            f"{field}: {' '.join(str(m) for m in errors)}"
            for field, errors in invalid.error_dict.items()
        )
        lines.append(f"row {invalid.number + 1}: {messages}")
    for number, errors in result.row_errors():
        messages = "; ".join(str(error.error) for error in errors)
        lines.append(f"row {number + 1}: {messages}")
    return sorted(lines, key=lambda line: int(line.split(":")[0].split()[1]))
