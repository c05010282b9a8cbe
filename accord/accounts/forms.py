from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from accord.accounts.models import User
from accord.accounts.services import user_update
from accord.lib.text import clean_line


class SignupForm(forms.Form):
    """Extra sign-up field for allauth's form: how partners will see you."""

    name = forms.CharField(
        max_length=150,
        label="Your name",
        widget=forms.TextInput(attrs={"autocomplete": "name", "placeholder": "Alice Example"}),
    )

    field_order = ["name", "email", "password1"]

    def clean_name(self) -> str:
        try:
            return clean_line(self.cleaned_data["name"], field="name", max_length=150)
        except ValidationError as exc:
            raise forms.ValidationError(exc.message_dict["name"]) from exc

    def signup(self, request: HttpRequest, user: User) -> None:
        user_update(user=user, name=self.cleaned_data["name"])


class ProfileForm(forms.Form):
    name = forms.CharField(max_length=150, label="Your name", widget=forms.TextInput(attrs={"autocomplete": "name"}))


class TokenForm(forms.Form):
    """On the account page beside the profile form, whose field is also `name`: its own ids."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_token_%s")
        super().__init__(*args, **kwargs)

    name = forms.CharField(
        max_length=100,
        label="Token name",
        help_text="Where you will use it, e.g. “laptop script”.",
    )
