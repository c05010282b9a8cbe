"""The `accord` command: Django's management commands, with Accord's own (serve, demo, createuser)."""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accord.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["accord", *sys.argv[1:]])


if __name__ == "__main__":
    main()
