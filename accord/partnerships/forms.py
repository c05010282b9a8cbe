from __future__ import annotations

import zoneinfo

from django import forms

from accord.partnerships.models import Role


def _timezone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


class PartnershipForm(forms.Form):
    name = forms.CharField(
        max_length=120,
        label="Partnership name",
        help_text="How you two call it, e.g. “Checkout leads”.",
    )
    team = forms.CharField(max_length=120, required=False, label="Team", help_text="The team you lead together.")
    role = forms.ChoiceField(choices=Role.choices, label="Your role", initial=Role.EM)


class SettingsForm(forms.Form):
    name = forms.CharField(max_length=120, label="Partnership name")
    team = forms.CharField(max_length=120, required=False, label="Team")
    timezone = forms.ChoiceField(label="Time zone", choices=_timezone_choices)
    one_on_one_days = forms.IntegerField(label="1:1 every … days", min_value=1, max_value=365)
    retro_days = forms.IntegerField(label="Partnership retro every … days", min_value=1, max_value=365)
    health_check_days = forms.IntegerField(label="Health check every … days", min_value=1, max_value=365)
    team_page_published = forms.BooleanField(
        required=False,
        label="Publish a read-only team page",
        help_text="Anyone with its secret link sees what you both agreed. Nothing private is ever on it.",
    )


class InvitationForm(forms.Form):
    email = forms.EmailField(
        required=False,
        label="Their email (optional)",
        help_text="We email them the link. Leave empty to copy the link yourself.",
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    role = forms.ChoiceField(choices=Role.choices, label="Their role", initial=Role.PM)


class LeaveForm(forms.Form):
    confirm_delete = forms.BooleanField(
        required=False, label="I understand: delete this partnership and everything in it."
    )
