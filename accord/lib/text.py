from __future__ import annotations

import unicodedata

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
    """A one-line text input (a name, a title), required unless said otherwise: no line breaks or
    other control characters, which would otherwise end up in email headers and page titles."""
    value = clean_text(value, field, max_length, required=required)
    if any(unicodedata.category(ch) == "Cc" for ch in value):
        raise ValidationError({field: "Keep it to one line, without line breaks, tabs or control characters."})
    return value
