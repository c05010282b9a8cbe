"""Whole-database backups: SQLite's online backup API, or pg_dump/pg_restore on PostgreSQL.

A backup is taken while Accord runs (SQLite copies pages under a read lock, pg_dump from one
snapshot); a restore replaces everything in the configured database with the backup's contents.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from pathlib import Path

from django.core.cache import caches
from django.db import connection

Progress = Callable[[int, int], None]


class BackupError(Exception):
    pass


def run_with_progress(label: str, action: Callable[[Progress], object], *, show: bool) -> None:
    """Run `backup` or `restore` under a rich progress bar, its failure as a CommandError."""
    from django.core.management.base import CommandError
    from rich.progress import Progress as Bar

    with Bar(transient=True, disable=not show) as bar:
        task = bar.add_task(label, total=None)
        try:
            action(lambda done, total: bar.update(task, completed=done, total=total))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc


def _pg_args() -> tuple[list[str], dict[str, str]]:
    s = connection.settings_dict
    args = ["--host", str(s.get("HOST") or "127.0.0.1"), "--port", str(s.get("PORT") or 5432)]
    if s.get("USER"):
        args += ["--username", str(s["USER"])]
    env = {**os.environ, "PGPASSWORD": str(s.get("PASSWORD") or "")}
    return args, env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not installed (apt-get install postgresql-client).")
    return found


def _sqlite_copy(source: sqlite3.Connection, target: sqlite3.Connection, progress: Progress | None) -> None:
    def step(status: int, remaining: int, total: int) -> None:
        if progress:
            progress(total - remaining, total)

    source.backup(target, pages=256, progress=step)


def backup(path: Path, progress: Progress | None = None) -> Path:
    """Write a consistent copy of the whole database to `path`, while the app keeps running."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(path)
        try:
            _sqlite_copy(connection.connection, target, progress)
            ok = target.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            target.close()
        if ok != "ok":
            raise BackupError(f"The copy failed its integrity check: {ok}")
    elif connection.vendor == "postgresql":
        args, env = _pg_args()
        name = str(connection.settings_dict["NAME"])
        command = [_tool("pg_dump"), *args, "--format=custom", "--no-owner", "--file", str(path), name]
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603 (no shell; our settings)
        if result.returncode:
            raise BackupError(result.stderr.strip() or "pg_dump failed.")
    else:
        raise BackupError(f"Backups of {connection.vendor} are not supported.")
    return path


def restore(path: Path, progress: Progress | None = None) -> None:
    """Replace everything in the database with the backup at `path`."""
    if not path.is_file():
        raise BackupError(f"No backup at {path}.")
    if connection.vendor == "sqlite":
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            try:
                ok = source.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            except sqlite3.DatabaseError:
                ok = False
            if not ok:
                raise BackupError(f"{path} is not a sound Accord backup: it fails SQLite's integrity check.")
            connection.close()
            connection.ensure_connection()
            _sqlite_copy(source, connection.connection, progress)
        finally:
            source.close()
    elif connection.vendor == "postgresql":
        args, env = _pg_args()
        name = str(connection.settings_dict["NAME"])
        tool = _tool("pg_restore")
        listed = subprocess.run([tool, "--list", str(path)], capture_output=True, text=True, check=False)  # noqa: S603
        if listed.returncode:
            raise BackupError(f"{path} is not a sound Accord backup: {listed.stderr.strip()}")
        connection.close()
        command = [tool, *args, "--clean", "--if-exists", "--no-owner", "--dbname", name, str(path)]
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603 (no shell)
        if result.returncode:
            raise BackupError(result.stderr.strip() or "pg_restore failed.")
    else:
        raise BackupError(f"Restores into {connection.vendor} are not supported.")
    # Cached pages are keyed by versions the restore may have turned back: drop them.
    for alias in ("pages", "default"):
        caches[alias].clear()
