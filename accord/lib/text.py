from __future__ import annotations

from django.core.exceptions import ValidationError


def clean_text(value: str, field: str, max_length: int, *, required: bool = False) -> str:
    """Trim a text input and check it, naming `field` in any error: no NUL bytes, the length limit,
    and present when `required`."""
    value = (value or "").strip()
    if "\x00" in value:
        raise ValidationError({field: "Null characters are not allowed."})
    if required and not value:
        raise ValidationError({field: "This field is required."})
    if len(value) > max_length:
        raise ValidationError({field: f"Keep it to {max_length} characters (it has {len(value)})."})
    return value


def clean_line(value: str, *, field: str, max_length: int, required: bool = True) -> str:
    """A one-line text input, required unless said otherwise."""
    return clean_text(value, field, max_length, required=required)
