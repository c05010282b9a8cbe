from __future__ import annotations

from typing import Any

from django import forms

from accord.tensions.models import JournalEntry


class TensionForm(forms.Form):
    topic = forms.CharField(label="What do you disagree about?", max_length=200)
    charter_tags = forms.MultipleChoiceField(
        label="Values and principles involved", required=False, widget=forms.CheckboxSelectMultiple
    )
    free_tags = forms.CharField(
        label="Other tags", required=False, max_length=400, help_text="Separate with commas, e.g. hiring, roadmap"
    )

    def __init__(self, *args: Any, charter_tags: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["charter_tags"].choices = [(t, t) for t in charter_tags]  # type: ignore[attr-defined]
        if not charter_tags:
            del self.fields["charter_tags"]

    def tags(self) -> list[str]:
        free = [t.strip() for t in self.cleaned_data.get("free_tags", "").split(",") if t.strip()]
        return [*self.cleaned_data.get("charter_tags", []), *free]


class PerspectiveForm(forms.Form):
    important_to_me = forms.CharField(
        label="What is important to me here",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="“X matters to me because…”",
    )
    why = forms.CharField(label="Why", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    partner_priority_guess = forms.CharField(
        label="What I think my partner is prioritising, and why",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AmendmentForm(forms.Form):
    text = forms.CharField(
        label="What changed since you wrote your side",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Your side stays as your partner read it; this is added below it, dated.",
    )


class ResolveForm(forms.Form):
    resolution = forms.CharField(label="How you resolve it", max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    decision_id = forms.TypedChoiceField(
        label="The decision it produced (optional)", required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, decisions: list[tuple[int, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decision_id"].choices = [("", "None"), *(decisions or [])]  # type: ignore[attr-defined]


class JournalForm(forms.Form):
    text = forms.CharField(
        label="What is happening, what are you seeing?",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    visibility = forms.ChoiceField(
        label="Who sees it",
        choices=JournalEntry.Visibility.choices,
        initial=JournalEntry.Visibility.PRIVATE,
        widget=forms.RadioSelect,
    )


class JournalEditForm(forms.Form):
    """An entry's new text; prefixed with the entry (`e<id>`) so each entry's form is its own."""

    text = forms.CharField(label="Entry", max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
