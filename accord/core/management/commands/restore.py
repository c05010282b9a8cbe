from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accord.core.backup import restore, run_with_progress


class Command(BaseCommand):
    help = "Replace everything in the database with a backup made by `accord backup`."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="The backup file.")
        parser.add_argument("--yes", action="store_true", help="Do not ask before replacing the database.")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        if not options["yes"]:
            answer = input(f"Replace everything in the database with {path}? Type 'restore' to go on: ")
            if answer.strip() != "restore":
                raise CommandError("Nothing restored.")
        run_with_progress("Restoring", lambda progress: restore(path, progress=progress), show=options["verbosity"] > 0)
        self.stdout.write(self.style.SUCCESS(f"Restored from {path}."))
