"""Every page is valid HTML: the W3C Nu HTML checker (npm's vnu-jar, run on Java) reads them all at
once and reports no error."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.test import Client

from accord.conftest import require_tool
from accord.core.tests.every_page import MISSING_PAGE, PUBLIC_PAGES, member_pages
from accord.core.tests.test_authorization_matrix import World

pytestmark = pytest.mark.django_db
VNU = Path(__file__).resolve().parents[3] / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def test_every_page_is_valid_html(tmp_path: Path) -> None:
    java = shutil.which("java")
    require_tool(java is not None, "Java (apt-get install default-jre-headless)")
    require_tool(VNU.exists(), "the Nu HTML checker (npm ci)")
    world = World()
    names: dict[str, str] = {}
    clients: dict[int, Client] = {}
    for n, (user, path) in enumerate(member_pages(world)):
        if user.pk not in clients:
            clients[user.pk] = Client()
            clients[user.pk].force_login(user)
        response = clients[user.pk].get(path)
        assert response.status_code == 200, path
        name = f"page-{n:03}.html"
        (tmp_path / name).write_bytes(response.content)
        names[name] = path
    anyone = Client()
    for n, path in enumerate([*PUBLIC_PAGES, MISSING_PAGE]):
        response = anyone.get(path)
        assert response.status_code == (404 if path == MISSING_PAGE else 200), path
        name = f"public-{n:03}.html"
        (tmp_path / name).write_bytes(response.content)
        names[name] = path
    result = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", "--format", "json", str(tmp_path)],  # type: ignore[list-item]
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    messages = json.loads(result.stderr or "{}").get("messages", [])
    errors: dict[str, list[str]] = {}
    for message in messages:
        page = names.get(os.path.basename(message.get("url", "")), message.get("url", "?"))
        where = f"line {message['lastLine']}" if "lastLine" in message else "the page"
        errors.setdefault(page, []).append(f"{where}: {message['message']} ({message.get('extract', '').strip()})")
    report = "\n".join(f"{page}\n  " + "\n  ".join(lines) for page, lines in sorted(errors.items()))
    assert not errors, f"The Nu HTML checker found errors on {len(errors)} of {len(names)} pages:\n{report}"
    assert result.returncode == 0, result.stderr[-2000:]
