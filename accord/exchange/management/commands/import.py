from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.progress import Progress

from accord.exchange.document import SECTIONS
from accord.exchange.services import document_import
from accord.lib.errors import ValidationError


class Command(BaseCommand):
    help = "Import a partnership from a file written by `accord export` (or the API's export)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            document = json.loads(Path(options["file"]).read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise CommandError(f"Cannot read {options['file']}: {exc}") from exc
        with Progress(transient=True) as progress:
            task = progress.add_task("Importing", total=SECTIONS)
            try:
                partnership = document_import(document=document, progress=lambda name: progress.advance(task))
            except (ValidationError, KeyError, TypeError) as exc:
                raise CommandError(f"Not a valid Accord export: {exc}") from exc
        self.stdout.write(self.style.SUCCESS(f"Imported “{partnership.name}” as partnership {partnership.pk}."))
