"""What the insights keep between requests, worked out by a background task after writes: each
partnership's recurring themes (accord.insights.themes) and its figures (accord.insights.stored)."""

from __future__ import annotations

from django.db import models


class ThemeSet(models.Model):
    """A partnership's latest recurring themes, and the fingerprint of the texts they came from.
    Only text every partner sees is ever stored here (see accord.insights.themes.occurrences)."""

    partnership = models.OneToOneField(
        "partnerships.Partnership", on_delete=models.DB_CASCADE, related_name="theme_set"
    )
    fingerprint = models.CharField(max_length=64)
    themes = models.JSONField(default=list)  # [{"label": str, "occurrences": [{source, text, on, url}]}]
    computed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Themes of partnership {self.partnership_id}"


class PartnershipFigures(models.Model):
    """The dashboard's figures of one partnership as they stood at one of its versions, refreshed by a
    task after every write (accord.insights.stored). Only what both partners can already see goes in:
    the same figures the dashboard shows, nothing unrevealed. Read only while `version` is the
    partnership's own; what depends on the clock is either worked out at read from stored dates
    (the facts) or kept no later than `valid_until` (the dashboard: a new day, a meeting's time)."""

    partnership = models.OneToOneField(
        "partnerships.Partnership", on_delete=models.DB_CASCADE, primary_key=True, related_name="figures"
    )
    version = models.PositiveBigIntegerField()  # the partnership's `figures_version` they were read at
    shape = models.PositiveSmallIntegerField()  # accord.insights.stored.SHAPE when written
    # What nudges and the coach's portfolio row are made of, with the due days of open action items
    # and the review days of running experiments, to count the overdue at read.
    facts = models.BinaryField()
    insights = models.BinaryField()  # every figure of the dashboard but its measures
    valid_until = models.DateTimeField()  # the dashboard's figures hold until then
    computed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Figures of partnership {self.partnership_id} at version {self.version}"
