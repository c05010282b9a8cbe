from __future__ import annotations

import getpass
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accord.accounts.services import user_create
from accord.lib.errors import Conflict, ValidationError


class Command(BaseCommand):
    help = "Create an account. Prompts for the password unless --password is given."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", required=True)
        parser.add_argument("--name", required=True)
        parser.add_argument("--password", help="Avoid on shared machines: it stays in your shell history.")
        parser.add_argument("--staff", action="store_true", help="May use Django's staff tools.")

    def handle(self, *args: Any, **options: Any) -> None:
        password = options["password"]
        if password is None:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The passwords do not match.")
        try:
            user = user_create(
                email=options["email"], password=password, name=options["name"], is_staff=options["staff"]
            )
        except ValidationError as exc:
            problems = "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in exc.message_dict.items())
            raise CommandError(problems) from exc
        except Conflict as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(self.style.SUCCESS(f"Created {user.name} <{user.email}>."))
