from __future__ import annotations

from django import forms

from accord.rituals.models import Experiment, Meeting


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label="What", choices=Meeting.Kind.choices)
    scheduled_for = forms.DateTimeField(
        label="When", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )


class RescheduleForm(forms.Form):
    scheduled_for = forms.DateTimeField(
        label="New time", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )


class NotesForm(forms.Form):
    notes = forms.CharField(
        label="Shared notes", required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 5})
    )
    notes_revision = forms.IntegerField(widget=forms.HiddenInput)


class TalkingPointForm(forms.Form):
    text = forms.CharField(
        label="Add a talking point",
        max_length=500,
        error_messages={"required": "Nothing was added: write the point you want to raise first."},
    )


class ActionItemForm(forms.Form):
    text = forms.CharField(label="Action", max_length=500)
    owner_id = forms.TypedChoiceField(label="Owner", coerce=int)
    due_on = forms.DateField(label="Due (optional)", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: object, members: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["owner_id"].choices = members  # type: ignore[attr-defined]


class ExperimentForm(forms.Form):
    title = forms.CharField(label="What we will try", max_length=200)
    hypothesis = forms.CharField(
        label="We believe that…",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "An experiment is a bet: say what you believe it will change."},
    )
    success_signal = forms.CharField(
        label="We will know it works when…",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Say how you will tell it worked, so that you can review it."},
    )
    review_on = forms.DateField(
        label="Review on",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Empty: at your next planned retro.",
    )


class VerdictForm(forms.Form):
    status = forms.ChoiceField(
        label="Verdict", choices=[(v, label) for v, label in Experiment.Status.choices if v != "running"]
    )
    outcome = forms.CharField(
        label="What happened", required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class RetroFormatForm(forms.Form):
    going_well = forms.CharField(label="First column", max_length=60)
    frustrating = forms.CharField(label="Second column", max_length=60)
    try_next = forms.CharField(label="Third column (ideas to try: they can become experiments)", max_length=60)
    votes_per_person = forms.IntegerField(label="Votes per partner", min_value=1, max_value=10)
