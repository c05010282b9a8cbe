from __future__ import annotations

import os
import signal
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from accord.core.tasks import queue_is_database


class Command(BaseCommand):
    help = (
        "Migrate the database, then serve Accord on $PORT (default 8000) with a background worker beside it. "
        "--prod runs gunicorn."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--prod", action="store_true", help="Serve with gunicorn and collected static files.")
        parser.add_argument("--demo", action="store_true", help="Load the demo data first (idempotent).")
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"), help="Address to bind.")
        parser.add_argument("--port", default=os.environ.get("PORT", "8000"), help="Port to bind.")
        parser.add_argument(
            "--no-worker", action="store_true", help="Run no background worker beside it (`accord worker` runs one)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if os.environ.get("RUN_MAIN") != "true":  # not again in the autoreloader's child process
            call_command("migrate", interactive=False, verbosity=0)
            self.stdout.write("Database is up to date.")
            if options["demo"]:
                call_command("demo", stdout=self.stdout)
        bind = f"{options['host']}:{options['port']}"
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "accord.settings"}
        if os.environ.get("RUN_MAIN") == "true":  # the autoreloader's child: the parent runs the worker
            call_command("runserver", bind, use_reloader=settings.DEBUG, skip_checks=True)
            return
        # With a broker's backend its own workers run the tasks (README, "Background work").
        worker = None if options["no_worker"] or not queue_is_database() else self.start_worker(env)
        try:
            if options["prod"]:
                self.serve_production(bind, env)
            else:
                # A SIGTERM ends the server like Ctrl-C does, so the worker is stopped with it.
                signal.signal(signal.SIGTERM, lambda _n, _frame: sys.exit(0))
                self.stdout.write(f"Serving Accord on http://{bind} (DEBUG={'on' if settings.DEBUG else 'off'}).")
                call_command("runserver", bind, use_reloader=settings.DEBUG, skip_checks=True)
        finally:
            if worker is not None:
                stop(worker)

    def start_worker(self, env: dict[str, str]) -> subprocess.Popen[bytes]:
        self.stdout.write("Running background tasks beside it (accord worker).")
        command = [sys.executable, "-m", "accord.cli", "worker", "--verbosity", "0"]
        return subprocess.Popen(command, env=env)  # noqa: S603 - our own interpreter and command

    def serve_production(self, bind: str, env: dict[str, str]) -> None:
        env = {**env, "ACCORD_STATIC_MANIFEST": "1"}
        subprocess.run(
            [sys.executable, "-m", "accord.cli", "collectstatic", "--noinput", "--verbosity", "0"], env=env, check=True
        )
        workers = os.environ.get("WEB_CONCURRENCY", str((os.cpu_count() or 1) * 2 + 1))
        self.stdout.write(f"Serving Accord with gunicorn on http://{bind} ({workers} workers).")
        sys.stdout.flush()
        web = subprocess.Popen(  # noqa: S603 - our own interpreter, with arguments of our own
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
            env=env,
        )
        # A stop asked of `accord serve` (Ctrl-C, or SIGTERM from a supervisor) goes to gunicorn,
        # which finishes its requests; the worker is stopped after it.
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda n, _frame: web.send_signal(n))
        code = web.wait()
        if code not in (0, -signal.SIGTERM, -signal.SIGINT):
            raise SystemExit(code)


def stop(process: subprocess.Popen[bytes], seconds: float = 10) -> None:
    """Ask `process` to finish what it is doing and stop; make it stop after `seconds`."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(seconds)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
