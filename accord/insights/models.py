"""What the insights keep between requests: each partnership's recurring themes, worked out by a
background task (accord.insights.themes) whenever the texts they draw on change."""

from __future__ import annotations

from django.db import models


class ThemeSet(models.Model):
    """A partnership's latest recurring themes, and the fingerprint of the texts they came from.
    Only text every partner sees is ever stored here (see accord.insights.themes.occurrences)."""

    partnership = models.OneToOneField("partnerships.Partnership", on_delete=models.CASCADE, related_name="theme_set")
    fingerprint = models.CharField(max_length=64)
    themes = models.JSONField(default=list)  # [{"label": str, "occurrences": [{source, text, on, url}]}]
    computed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Themes of partnership {self.partnership_id}"
