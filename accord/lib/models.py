"""Model pieces shared by apps."""

from __future__ import annotations

from django.db import models


class Versioned(models.Model):
    """A row whose `version` rises after every committed change to it or to what hangs off it
    (see accord.lib.freshness). Cached pages are keyed by it. Save such rows with `update_fields`:
    a whole save of a row loaded before a raise would write the old number back."""

    version = models.PositiveBigIntegerField(default=0, editable=False)

    class Meta:
        abstract = True
