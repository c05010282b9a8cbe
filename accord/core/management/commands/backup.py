from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from rich.progress import Progress

from accord.core.backup import BackupError, backup


class Command(BaseCommand):
    help = "Copy the whole database to a file while Accord keeps running (restore it with `accord restore`)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "path", nargs="?", help="File to write (default: accord-backup-<timestamp> in the current folder)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"] or f"accord-backup-{timezone.now():%Y%m%d-%H%M%S}.db")
        with Progress(transient=True, disable=options["verbosity"] < 1) as progress:
            task = progress.add_task("Backing up", total=None)
            try:
                backup(path, progress=lambda done, total: progress.update(task, completed=done, total=total))
            except BackupError as exc:
                raise CommandError(str(exc)) from exc
        size = path.stat().st_size
        self.stdout.write(self.style.SUCCESS(f"Backed up to {path} ({size / 1_048_576:.1f} MB)."))
