from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from accord.core.backup import backup, run_with_progress


class Command(BaseCommand):
    help = "Copy the whole database to a file while Accord keeps running (restore it with `accord restore`)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "path", nargs="?", help="File to write (default: accord-backup-<timestamp> in the current folder)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"] or f"accord-backup-{timezone.now():%Y%m%d-%H%M%S}.db")
        run_with_progress("Backing up", lambda progress: backup(path, progress=progress), show=options["verbosity"] > 0)
        size = path.stat().st_size
        self.stdout.write(self.style.SUCCESS(f"Backed up to {path} ({size / 1_048_576:.1f} MB)."))
