"""The partnership sections shown in the navigation. A section is listed once its app exists,
so the navigation never offers a dead link. Apps add themselves here as they land."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    key: str
    label: str
    url_name: str  # takes the partnership id


SECTIONS: list[Section] = [
    Section("assess", "Assess", "assessments-home"),
    Section("design", "Design", "charters-home"),
    Section("iterate", "Iterate", "rituals-home"),
    Section("tensions", "Disagreements", "tensions-list"),
    Section("journal", "Journal", "tensions-journal"),
    Section("align", "Align", "alignment-home"),
]
