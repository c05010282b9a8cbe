from __future__ import annotations

from typing import Any

from django import forms

from accord.alignment.models import Decision


class ObjectiveForm(forms.Form):
    title = forms.CharField(
        label="Objective", max_length=200, help_text="e.g. “Make checkout the fastest in our market”"
    )
    why = forms.CharField(
        label="Why it matters", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    starts_on = forms.DateField(label="From", widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label="Until", widget=forms.DateInput(attrs={"type": "date"}))


class KeyResultForm(forms.Form):
    name = forms.CharField(label="Key result", max_length=200)
    baseline = forms.FloatField(label="Baseline")
    target = forms.FloatField(label="Target")
    unit = forms.CharField(label="Unit", required=False, max_length=20)


class ReadingForm(forms.Form):
    value = forms.FloatField(label="Value")
    taken_on = forms.DateField(label="Taken on", widget=forms.DateInput(attrs={"type": "date"}))


class DecisionForm(forms.Form):
    title = forms.CharField(label="Title", max_length=200)
    requester = forms.CharField(
        label="Requested by", required=False, max_length=200, help_text="A stakeholder, leadership, another team."
    )
    needed_by = forms.DateField(label="Needed by", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    context = forms.CharField(
        label="Context", required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    options = forms.CharField(
        label="Options considered",
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One per line.",
    )
    evidence = forms.CharField(
        label="Data and evidence", required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    triage = forms.ChoiceField(
        label="Triage", required=False, choices=[("", "Not decided yet"), *Decision.Triage.choices]
    )
    outcome = forms.CharField(
        label="Outcome", required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    objective_ids = forms.TypedMultipleChoiceField(
        label="Objectives it serves", required=False, coerce=int, widget=forms.CheckboxSelectMultiple
    )
    agree = forms.BooleanField(
        label="I agree with this decision",
        required=False,
        initial=True,
        help_text="Your sign-off is recorded with it. Untick to sign it later.",
    )

    def __init__(self, *args: Any, objectives: list[tuple[int, str]], kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["objective_ids"].choices = objectives  # type: ignore[attr-defined]
        if kind != Decision.Kind.REQUEST:
            for name in ("requester", "needed_by", "triage"):
                del self.fields[name]
        else:
            self.fields["requester"].required = True
            self.fields[
                "agree"
            ].help_text = "Your sign-off is recorded with it once it is triaged. Untick to sign later."

    def options_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get("options", "").splitlines() if line.strip()]


class ObjectionForm(forms.Form):
    reason = forms.CharField(label="Why you object", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
