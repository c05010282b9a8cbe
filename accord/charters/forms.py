from __future__ import annotations

from typing import Any

from django import forms

from accord.charters.models import OWNERS, Measure
from accord.charters.services import CharterContent

OWNER_CHOICES = [("", "—"), ("EM", "EM"), ("PM", "PM"), ("Design", "Design"), ("Other", "Other"), ("shared", "Shared")]
assert {c for c, _ in OWNER_CHOICES if c} == set(OWNERS)
LINES_HELP = "One per line. Markdown works: **bold**, *italic*, `code`, [links](https://…)."


class CharterForm(forms.Form):
    base = forms.IntegerField(required=False, widget=forms.HiddenInput)
    replaces = forms.IntegerField(required=False, widget=forms.HiddenInput)
    purpose = forms.CharField(
        label="Purpose and what matters",
        required=False,
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 7}),
        help_text="Why you lead together and what matters most. Markdown works.",
    )
    values = forms.CharField(
        label="Values", required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 4}), help_text=LINES_HELP
    )
    principles = forms.CharField(
        label="Decision principles",
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The parameters and trade-off rules you judge work by. " + LINES_HELP,
    )
    agreements = forms.CharField(
        label="Working agreements",
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Cadences, channels, escalation, how you disagree. " + LINES_HELP,
    )
    rationale = forms.CharField(
        label="Why this change?",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Your partner reads this next to the changes.",
    )
    ratify = forms.BooleanField(label="I ratify this version myself", required=False, initial=True)

    def __init__(self, *args: Any, rows: int = 6, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        data = self.data
        existing = sum(1 for key in data if key.startswith("area_")) if self.is_bound else 0
        self.rows = max(rows, existing)
        for i in range(self.rows):
            self.fields[f"area_{i}"] = forms.CharField(label=f"Area {i + 1}", required=False, max_length=200)
            self.fields[f"owner_{i}"] = forms.ChoiceField(
                label=f"Owner of area {i + 1}", required=False, choices=OWNER_CHOICES
            )

    def responsibility_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"area_{i}"], self[f"owner_{i}"]) for i in range(self.rows)]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for i in range(self.rows):
            if cleaned.get(f"area_{i}", "").strip() and not cleaned.get(f"owner_{i}"):
                self.add_error(f"owner_{i}", "Say who owns this area.")
        return cleaned

    def content(self) -> CharterContent:
        data = self.cleaned_data

        def lines(name: str) -> list[str]:
            return [line.strip() for line in data.get(name, "").splitlines() if line.strip()]

        return CharterContent(
            purpose=data.get("purpose", ""),
            values=lines("values"),
            principles=lines("principles"),
            responsibilities=[
                {"area": data[f"area_{i}"], "owner": data[f"owner_{i}"]}
                for i in range(self.rows)
                if data.get(f"area_{i}", "").strip()
            ],
            agreements=lines("agreements"),
        )

    @staticmethod
    def initial_from(content: dict[str, Any]) -> dict[str, Any]:
        initial = {
            "purpose": content.get("purpose", ""),
            "values": "\n".join(content.get("values", [])),
            "principles": "\n".join(content.get("principles", [])),
            "agreements": "\n".join(content.get("agreements", [])),
            "rationale": content.get("rationale", ""),
        }
        for i, item in enumerate(content.get("responsibilities", [])):
            initial[f"area_{i}"] = item["area"]
            initial[f"owner_{i}"] = item["owner"]
        return initial


class MeasureForm(forms.Form):
    name = forms.CharField(max_length=120, label="Name", help_text="e.g. “Decisions we made together”")
    method = forms.CharField(
        label="How it is measured",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Where the number comes from, so either of you can take a reading.",
    )
    target = forms.FloatField(label="Target")
    direction = forms.ChoiceField(label="Direction", choices=Measure.Direction.choices)
    unit = forms.CharField(max_length=20, required=False, label="Unit (optional)", help_text="e.g. %, days, points")


class ReadingForm(forms.Form):
    value = forms.FloatField(label="Value")
    taken_on = forms.DateField(label="Taken on", widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(max_length=500, required=False, label="Note (optional)")
