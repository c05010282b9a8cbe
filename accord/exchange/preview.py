"""An uploaded export, read and checked, and what importing it would create: shown before anything
is saved. The preview is the import itself, run and rolled back, so what it shows is what
"Create partnership" makes, and a file that would fail is refused at the upload."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Max, Min
from django.template.defaultfilters import filesizeformat
from django.utils.translation import ngettext

from accord.accounts.models import User
from accord.exchange.document import FORMAT, VERSION
from accord.exchange.services import document_import
from accord.lib.dates import local_date
from accord.lib.errors import ValidationError
from accord.partnerships.models import Partnership
from accord.rituals.models import Card, Meeting

MAX_BYTES = 5 * 1024 * 1024  # a year of a busy partnership is well under 1 MB


def document_read(raw: bytes) -> dict[str, Any]:
    """The export an uploaded file holds, or a `ValidationError` on `file` saying, in words, why
    this file is not one: too large, not JSON, not an Accord export, or of another version."""
    if len(raw) > MAX_BYTES:
        raise ValidationError(
            {"file": f"This file is over {filesizeformat(MAX_BYTES)}: an export is never that large."}
        )
    try:
        document = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ValidationError({"file": "This file is not text: an Accord export is a .json file."}) from None
    except json.JSONDecodeError as exc:
        raise ValidationError(
            {"file": f"This file is not valid JSON (line {exc.lineno}): it may be damaged, or not an export."}
        ) from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ValidationError({"file": "This JSON file is not an Accord export."})
    if document.get("version") != VERSION:
        version = document.get("version")
        raise ValidationError(
            {"file": f"This export is of format version {version!r}; this Accord reads version {VERSION}."}
        )
    return document


def document_digest(raw: bytes) -> str:
    """What names one uploaded file, so that the file created is the file previewed."""
    return hashlib.sha256(raw).hexdigest()


@dataclass(frozen=True)
class Member:
    name: str
    role: str
    has_account: bool  # already has an account here: the partnership appears in their list
    is_you: bool


@dataclass(frozen=True)
class Preview:
    name: str
    team: str
    members: list[Member]
    holds: list[str]  # "3 health checks", "1 decision", ...
    first: date | None
    last: date | None


class _RolledBack(Exception):
    def __init__(self, preview: Preview) -> None:
        self.preview = preview


def document_preview(*, document: dict[str, Any], user: User) -> Preview:
    """What importing `document` as `user` would create; nothing is saved. A `ValidationError` on
    `file` says why it would not import."""
    known = set(User.objects.filter(email__in=[str(p.get("email", "")).lower() for p in document.get("people") or []]))
    try:
        with transaction.atomic():
            partnership = document_import(document=document, member=user)
            raise _RolledBack(_preview(partnership, user, known))
    except _RolledBack as done:
        return done.preview
    except ValidationError as exc:
        raise ValidationError({"file": f"This export cannot be imported: {_said(exc)}"}) from exc


def _said(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return " ".join(
            message if where in {"document", "people", "format"} else f"{where}: {message}"
            for where, messages in exc.message_dict.items()
            for message in messages
        )
    return " ".join(exc.messages)


def _preview(partnership: Partnership, user: User, known: set[User]) -> Preview:
    members = [
        Member(
            name=m.user.name or m.user.email,
            role=m.get_role_display(),
            has_account=m.user in known and m.user != user,
            is_you=m.user == user,
        )
        for m in partnership.memberships.select_related("user").order_by("joined_at", "pk")
    ]
    meetings = Meeting.objects.filter(partnership=partnership)
    counts = [
        (partnership.health_checks.count(), "%(n)d health check", "%(n)d health checks"),
        (partnership.charter_revisions.count(), "%(n)d charter version", "%(n)d charter versions"),
        (meetings.filter(kind=Meeting.Kind.ONE_ON_ONE).count(), "%(n)d 1:1", "%(n)d 1:1s"),
        (meetings.filter(kind=Meeting.Kind.RETRO).count(), "%(n)d retro", "%(n)d retros"),
        (Card.objects.filter(meeting__partnership=partnership).count(), "%(n)d retro card", "%(n)d retro cards"),
        (partnership.action_items.count(), "%(n)d action item", "%(n)d action items"),
        (partnership.experiments.count(), "%(n)d experiment", "%(n)d experiments"),
        (partnership.objectives.count(), "%(n)d objective", "%(n)d objectives"),
        (partnership.decisions.count(), "%(n)d decision", "%(n)d decisions"),
        (partnership.tensions.count(), "%(n)d disagreement", "%(n)d disagreements"),
        (partnership.journal_entries.count(), "%(n)d journal entry", "%(n)d journal entries"),
    ]
    span = meetings.filter(status=Meeting.Status.HELD).aggregate(first=Min("scheduled_for"), last=Max("scheduled_for"))
    checks = partnership.health_checks.aggregate(last=Max("opened_at"))
    last = max((d for d in (span["last"], checks["last"]) if d), default=None)
    return Preview(
        name=partnership.name,
        team=partnership.team,
        members=members,
        holds=[ngettext(one, many, n) % {"n": n} for n, one, many in counts if n],
        first=local_date(partnership.created_at, partnership.timezone),
        last=local_date(last, partnership.timezone) if last else None,
    )
