from __future__ import annotations

from django import forms
from django.http import QueryDict

from accord.assessments.models import CheckDimension
from accord.assessments.services import RatingInput


class DimensionForm(forms.Form):
    title = forms.CharField(max_length=80, label="Title")
    description = forms.CharField(
        max_length=600,
        required=False,
        label="What a 1 and a 5 look like",
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _score(raw: str | None, field: str, errors: dict[str, str]) -> int | None:
    if raw in (None, ""):
        return None
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if not 1 <= value <= 5:
        errors[field] = "Choose from 1 to 5."
        return None
    return value


def parse_answer(
    data: QueryDict, dimensions: list[CheckDimension], *, submit: bool = False
) -> tuple[list[RatingInput], dict[str, str]]:
    """The answer form's fields (today-<key>, target-<key>, guess-<key>, note-<key>) as ratings,
    with an error message per field that is not a rating from 1 to 5, and, when the answer is
    submitted, per today or target left unanswered (the form's own "required")."""
    errors: dict[str, str] = {}
    ratings = []
    for d in dimensions:
        today = _score(data.get(f"today-{d.key}"), f"today-{d.key}", errors)
        target = _score(data.get(f"target-{d.key}"), f"target-{d.key}", errors)
        guess = _score(data.get(f"guess-{d.key}"), f"guess-{d.key}", errors)
        note = data.get(f"note-{d.key}", "")
        if len(note) > 2000:
            errors[f"note-{d.key}"] = f"Keep a note to 2,000 characters (it has {len(note)})."
            note = note[:2000]
        if submit:
            for field, value, where in (("today", today, "today"), ("target", target, "where you want it")):
                if value is None and f"{field}-{d.key}" not in errors:
                    errors[f"{field}-{d.key}"] = f"Choose {where}: 1 to 5."
        ratings.append(RatingInput(dimension=d.key, today=today, target=target, guess=guess, note=note))
    return ratings, errors
