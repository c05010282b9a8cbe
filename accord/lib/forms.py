from __future__ import annotations

from django import forms

from accord.lib.errors import ValidationError


def add_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's validation error beside the fields it names (or above the form)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            for message in errors:
                form.add_error(field if field in form.fields else None, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)
