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


def errors_text(form: forms.Form) -> str:
    """A form's errors as one sentence, field names included, for a message above the page."""
    parts = []
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else None
        parts.append(f"{label or field}: {' '.join(str(e) for e in errors)}")
    return "; ".join(parts)
