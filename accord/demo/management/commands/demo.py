from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from accord.demo.loader import DEMO_COACH, DEMO_PASSWORD, DEMO_USERS, demo_load


class Command(BaseCommand):
    help = "Load demo data (Alice, EM, and Bob, PM, in one partnership; Casey, their coach). Safe to run again."

    def handle(self, *args: Any, **options: Any) -> None:
        partnership, created = demo_load()
        verb = "Loaded" if created else "Already there:"
        self.stdout.write(self.style.SUCCESS(f"{verb} demo partnership “{partnership.name}”."))
        for login in (*DEMO_USERS, DEMO_COACH):
            self.stdout.write(f"  {login.name} ({login.role}): {login.email} / {DEMO_PASSWORD}")
