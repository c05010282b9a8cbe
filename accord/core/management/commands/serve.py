from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Migrate the database, then serve Accord on $PORT (default 8000). --prod runs gunicorn."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--prod", action="store_true", help="Serve with gunicorn and collected static files.")
        parser.add_argument("--demo", action="store_true", help="Load the demo data first (idempotent).")
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"), help="Address to bind.")
        parser.add_argument("--port", default=os.environ.get("PORT", "8000"), help="Port to bind.")

    def handle(self, *args: Any, **options: Any) -> None:
        if os.environ.get("RUN_MAIN") != "true":  # not again in the autoreloader's child process
            call_command("migrate", interactive=False, verbosity=0)
            self.stdout.write("Database is up to date.")
            if options["demo"]:
                call_command("demo", stdout=self.stdout)
        bind = f"{options['host']}:{options['port']}"
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "accord.settings"}
        if options["prod"]:
            env["ACCORD_STATIC_MANIFEST"] = "1"
            subprocess.run(
                [sys.executable, "-m", "accord.cli", "collectstatic", "--noinput", "--verbosity", "0"],
                env=env,
                check=True,
            )
            workers = os.environ.get("WEB_CONCURRENCY", str((os.cpu_count() or 1) * 2 + 1))
            self.stdout.write(f"Serving Accord with gunicorn on http://{bind} ({workers} workers).")
            sys.stdout.flush()
            os.execvpe(  # noqa: S606 - replaces this process with gunicorn, by design
                sys.executable,
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "accord.wsgi",
                    "--bind",
                    bind,
                    "--workers",
                    workers,
                    "--access-logfile",
                    "-",
                    "--forwarded-allow-ips",
                    os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
                ],
                env,
            )
        self.stdout.write(f"Serving Accord on http://{bind} (DEBUG={'on' if settings.DEBUG else 'off'}).")
        call_command("runserver", bind, use_reloader=settings.DEBUG, skip_checks=True)
