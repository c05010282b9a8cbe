from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from accord.demo.seed import seed


class Command(BaseCommand):
    help = "Fill the database with realistic history for benchmarks (bulk inserts)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--partnerships", type=int, default=10)
        parser.add_argument("--years", type=int, default=2)
        parser.add_argument("--password", required=True, help="Password of every seeded user.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["partnerships"] < 1 or not 1 <= options["years"] <= 10:
            raise CommandError("Give at least one partnership and 1 to 10 years.")
        started = time.monotonic()
        columns = (TextColumn("Seeding"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), TimeRemainingColumn())
        with Progress(*columns, transient=False, disable=options["verbosity"] == 0) as progress:
            task = progress.add_task("seed", total=options["partnerships"])
            try:
                report = seed(
                    partnerships=options["partnerships"],
                    years=options["years"],
                    password=options["password"],
                    progress=lambda n: progress.advance(task, n),
                )
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Seeded {report.partnerships} partnership(s) × {options['years']} year(s): {report.rows:,} rows "
            f"in {time.monotonic() - started:.1f} s. Users em1..em{report.partnerships}@seed.example, "
            f"pm1..@seed.example and coach@seed.example."
        )
