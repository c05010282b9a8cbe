from __future__ import annotations

from django import forms

from accord.exchange.preview import MAX_BYTES


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Export file",
        help_text=f"The .json file an Accord export gave you (at most {MAX_BYTES // (1024 * 1024)} MB).",
        error_messages={"required": "Choose the export file to import.", "empty": "This file is empty."},
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
    )
