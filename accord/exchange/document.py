"""The export document: its format, the local names it refers by, and how its values are written
and read back.

References inside the document are local names ("u1", "m3", ...) given in a stable order, so an
export, imported into an empty Accord and exported again, gives the same document."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.utils.dateparse import parse_date, parse_datetime

from accord.accounts.models import User
from accord.lib.errors import ValidationError
from accord.partnerships.models import Partnership

FORMAT = "accord-partnership"
VERSION = 1
SECTIONS = 6  # progress steps of an export or an import
Progress = Callable[[str], None] | None


def dt_out(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def d_out(value: date | None) -> str | None:
    return value.isoformat() if value else None


def dt_in(value: str | None) -> Any:
    return _parsed(parse_datetime, value, "a date and time")


def d_in(value: str | None) -> Any:
    return _parsed(parse_date, value, "a date")


def _parsed(parse: Callable[[str], Any], value: str | None, what: str) -> Any:
    if not value:
        return None
    try:
        parsed = parse(value) if isinstance(value, str) else None
    except ValueError:
        parsed = None
    if parsed is None:
        raise ValidationError({"document": f"{value!r} is not {what}."})
    return parsed


def each(items: Iterable[dict[str, Any]] | None) -> list[dict[str, Any]]:
    return list(items or [])


class Refs:
    """Local names for rows, handed out in the order they are first met."""

    def __init__(self) -> None:
        self.names: dict[tuple[str, int], str] = {}
        self.counts: dict[str, int] = {}

    def name(self, prefix: str, pk: int | None) -> str | None:
        if pk is None:
            return None
        key = (prefix, pk)
        if key not in self.names:
            self.counts[prefix] = self.counts.get(prefix, 0) + 1
            self.names[key] = f"{prefix}{self.counts[prefix]}"
        return self.names[key]

    def get(self, prefix: str, pk: int | None) -> str | None:
        return None if pk is None else self.names.get((prefix, pk))


class People:
    """The people an export mentions: the members first, in the order they joined, then anyone
    else a row points to (a former member)."""

    def __init__(self, refs: Refs) -> None:
        self.refs = refs
        self.rows: dict[int, dict[str, Any]] = {}

    def add_member(self, *, user: User, role: str, joined_at: datetime) -> None:
        self.rows[user.pk] = {
            "ref": self.refs.name("u", user.pk),
            "email": user.email,
            "name": user.name,
            "role": role,
            "joined_at": dt_out(joined_at),
        }

    def ref(self, user_id: int | None) -> str | None:
        if user_id is None:
            return None
        if user_id not in self.rows:
            former = User.objects.filter(pk=user_id).first()
            self.rows[user_id] = {
                "ref": self.refs.name("u", user_id),
                "email": former.email if former else f"former-{user_id}@invalid",
                "name": former.name if former else "Former member",
                "role": None,
                "joined_at": None,
            }
        return str(self.rows[user_id]["ref"])

    def listed(self) -> list[dict[str, Any]]:
        return sorted(self.rows.values(), key=lambda p: int(p["ref"][1:]))


@dataclass
class Export:
    """What the sections of one export share: who reads, and the local names handed out so far."""

    partnership: Partnership
    user: User
    refs: Refs
    people: People

    def person(self, user_id: int | None) -> str | None:
        return self.people.ref(user_id)


@dataclass
class Import:
    """What the sections of one import share: the new partnership, and the rows made so far under
    the file's local names."""

    partnership: Partnership
    users: dict[str, User]
    revisions: dict[str, Any] = field(default_factory=dict)
    objectives: dict[str, Any] = field(default_factory=dict)
    decisions: dict[str, Any] = field(default_factory=dict)
    meetings: dict[str, Any] = field(default_factory=dict)
    cards: dict[str, Any] = field(default_factory=dict)

    def user(self, ref: str | None) -> Any:
        """The user a reference names; None where the file has none (the database refuses that
        where a person is required)."""
        return self.users.get(ref) if ref else None


# --- What a file must hold --------------------------------------------------------------------

# Per section, the keys every item must carry, and the nested lists (with their own keys) inside it.
Shape = dict[str, Any]
SHAPE: dict[str, Shape] = {
    "people": {"keys": ("ref", "email", "name")},
    "dimensions": {"keys": ("key", "title", "description", "position")},
    "health_checks": {
        "keys": ("number", "status", "opened_at", "dimensions", "responses"),
        "dimensions": {"keys": ("key", "title", "description", "position")},
        "responses": {"keys": ("user", "ratings"), "ratings": {"keys": ("dimension", "today", "target", "guess")}},
    },
    "charter_revisions": {
        "keys": ("ref", "number", "status", "rationale", "purpose", "values", "principles", "responsibilities"),
        "ratifications": {"keys": ("user", "at")},
    },
    "measures": {"keys": ("name", "target", "direction", "created_at", "readings"), "readings": {"keys": ("value",)}},
    "objectives": {
        "keys": ("ref", "title", "starts_on", "ends_on", "created_at", "key_results"),
        "key_results": {"keys": ("name", "baseline", "target", "readings"), "readings": {"keys": ("value",)}},
    },
    "decisions": {"keys": ("ref", "kind", "title", "status", "created_at", "objectives", "signoffs")},
    "meetings": {
        "keys": ("ref", "kind", "scheduled_for", "status", "phase", "created_at", "agenda", "groups", "cards"),
        "groups": {"keys": ("ref", "title")},
        "cards": {"keys": ("ref", "column", "text", "votes")},
    },
    "action_items": {"keys": ("text", "created_at")},
    "experiments": {"keys": ("title", "review_on", "status", "created_at")},
    "tensions": {"keys": ("topic", "status", "created_at", "perspectives"), "perspectives": {"keys": ("author",)}},
    "journal": {"keys": ("author", "text", "visibility", "created_at", "updated_at")},
}


def document_validate(document: Any) -> None:
    """Refuse, with where and what, a file that is not an export this Accord can read: the wrong
    format or version, a section that is not a list, an item without a key it needs, or a
    reference to a person the file does not list."""
    if not isinstance(document, dict) or document.get("format") != FORMAT or document.get("version") != VERSION:
        raise ValidationError({"format": f"Not an {FORMAT} document of version {VERSION}."})
    info = document.get("partnership")
    if not isinstance(info, dict) or not {"name", "one_on_one_days", "retro_days", "health_check_days"} <= set(info):
        raise ValidationError({"partnership": "The partnership's name and cadences are missing."})
    for section, shape in SHAPE.items():
        _check_items(document.get(section), shape, section)
    known = {p["ref"] for p in document.get("people") or []}
    for where, ref in _person_refs(document):
        if ref is not None and ref not in known:
            raise ValidationError({where: f"{ref!r} is not one of the file's people."})


def _check_items(items: Any, shape: Shape, where: str) -> None:
    if items is None:
        return
    if not isinstance(items, list):
        raise ValidationError({where: "Should be a list."})
    for n, item in enumerate(items):
        if not isinstance(item, dict):
            raise ValidationError({f"{where}[{n}]": "Should be an object."})
        missing = [key for key in shape["keys"] if key not in item]
        if missing:
            raise ValidationError({f"{where}[{n}]": f"Missing {', '.join(missing)}."})
        for nested, inner in shape.items():
            if nested != "keys":
                _check_items(item.get(nested), inner, f"{where}[{n}].{nested}")


PERSON_KEYS = frozenset({"user", "author", "opened_by", "created_by", "entered_by", "owner", "raised_by", "rater"})


# What people wrote or chose, with no references in it (a responsibility's "owner" is a role).
FREE_TEXT = frozenset({"people", "responsibilities", "values", "principles", "agreements", "options", "summary"})


def _person_refs(value: Any, where: str = "") -> Iterable[tuple[str, Any]]:
    """Every reference to a person anywhere in the document, with where it is."""
    if isinstance(value, dict):
        for key, inner in value.items():
            if key in PERSON_KEYS and not isinstance(inner, (dict, list)):
                yield f"{where}.{key}".lstrip("."), inner
            elif key not in FREE_TEXT:
                yield from _person_refs(inner, f"{where}.{key}")
    elif isinstance(value, list):
        for n, inner in enumerate(value):
            yield from _person_refs(inner, f"{where}[{n}]")
