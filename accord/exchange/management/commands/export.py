from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.progress import Progress

from accord.accounts.selectors import user_get_by_email
from accord.exchange.document import SECTIONS
from accord.exchange.selectors import partnership_export
from accord.partnerships.selectors import partnership_list


class Command(BaseCommand):
    help = "Export a partnership as JSON: everything the given member may see (restore it with `accord import`)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("partnership_id", type=int)
        parser.add_argument("--as", dest="email", required=True, help="The member whose view is exported.")
        parser.add_argument("--output", "-o", help="File to write (default: standard output).")

    def handle(self, *args: Any, **options: Any) -> None:
        user = user_get_by_email(email=options["email"])
        partnership = partnership_list(user=user).filter(pk=options["partnership_id"]).first() if user else None
        if user is None or partnership is None:
            raise CommandError("No such partnership for that member.")
        with Progress(transient=True, disable=not options["output"]) as progress:
            task = progress.add_task("Exporting", total=SECTIONS)
            document = partnership_export(
                partnership=partnership,
                user=user,
                progress=lambda name: progress.advance(task),
            )
        text = json.dumps(document, indent=2, ensure_ascii=False)
        if options["output"]:
            Path(options["output"]).write_text(text, encoding="utf-8")
            self.stderr.write(self.style.SUCCESS(f"Exported “{partnership.name}” to {options['output']}."))
        else:
            self.stdout.write(text)
