"""Model pieces shared by apps."""

from __future__ import annotations

from typing import Any

from django.db import models


class Versioned(models.Model):
    """A row whose `version` rises after every committed change to it or to what hangs off it
    (see accord.lib.freshness). Cached pages are keyed by it, so an ordinary save never writes it
    back: an object loaded before a bump must not undo the bump."""

    version = models.PositiveBigIntegerField(default=0, editable=False)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding and kwargs.get("update_fields") is None and not kwargs.get("force_insert"):
            kwargs["update_fields"] = [
                f.name for f in self._meta.concrete_fields if not f.primary_key and f.name != "version"
            ]
        super().save(*args, **kwargs)
