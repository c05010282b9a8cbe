"""The partnership charter: revisions every member ratifies, and the success measures it names."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.timezone import now

from accord.partnerships.models import Partnership

OWNERS = ("EM", "PM", "Design", "Other", "shared")


class CharterRevision(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        RATIFIED = "ratified", "Current"
        SUPERSEDED = "superseded", "Superseded"
        WITHDRAWN = "withdrawn", "Withdrawn"

    partnership = models.ForeignKey(Partnership, on_delete=models.DB_CASCADE, related_name="charter_revisions")
    number = models.PositiveIntegerField(null=True, blank=True)  # set, in order, when ratified
    # The partnership's own count of proposals, from 1: "Proposal 3", never a database id.
    proposal_number = models.PositiveIntegerField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PROPOSED)
    base = models.ForeignKey("self", on_delete=models.DB_SET_NULL, null=True, blank=True, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.DB_SET_NULL, null=True, related_name="+")
    rationale = models.TextField(max_length=4000, blank=True)
    purpose = models.TextField(max_length=8000, blank=True)
    values = models.JSONField(default=list)
    principles = models.JSONField(default=list)
    responsibilities = models.JSONField(default=list)  # [{"area": str, "owner": one of OWNERS}]
    agreements = models.JSONField(default=list)
    created_at = models.DateTimeField(default=now)
    ratified_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)  # withdrawn or superseded

    class Meta:
        ordering = ("-created_at", "-id")
        constraints = [
            models.UniqueConstraint(fields=("partnership", "number"), name="charter_number_unique"),
            models.UniqueConstraint(fields=("partnership", "proposal_number"), name="charter_proposal_number_unique"),
            models.UniqueConstraint(
                fields=("partnership",), condition=Q(status="ratified"), name="charter_one_current"
            ),
            models.CheckConstraint(
                condition=Q(status="proposed", number__isnull=True)
                | Q(status="withdrawn", number__isnull=True)
                | Q(status__in=("ratified", "superseded"), number__isnull=False, ratified_at__isnull=False),
                name="charter_number_when_ratified",
            ),
        ]

    def __str__(self) -> str:
        return f"Charter v{self.number}" if self.number else f"Proposal {self.proposal_number}"

    @property
    def label(self) -> str:
        return f"Version {self.number}" if self.number else f"Proposal {self.proposal_number}"


class Ratification(models.Model):
    revision = models.ForeignKey(CharterRevision, on_delete=models.DB_CASCADE, related_name="ratifications")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.DB_CASCADE, related_name="+")
    at = models.DateTimeField(default=now)

    class Meta:
        ordering = ("at", "id")
        constraints = [models.UniqueConstraint(fields=("revision", "user"), name="ratification_unique")]

    def __str__(self) -> str:
        return f"{self.user} ratified {self.revision}"


class Measure(models.Model):
    class Direction(models.TextChoices):
        UP = "up", "Higher is better"
        DOWN = "down", "Lower is better"

    partnership = models.ForeignKey(Partnership, on_delete=models.DB_CASCADE, related_name="measures")
    name = models.CharField(max_length=120)
    method = models.TextField("How it is measured", max_length=1000, blank=True)
    target = models.FloatField()
    direction = models.CharField(max_length=4, choices=Direction.choices, default=Direction.UP)
    unit = models.CharField(max_length=20, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.DB_SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ("name", "id")

    def __str__(self) -> str:
        return self.name


class Reading(models.Model):
    measure = models.ForeignKey(Measure, on_delete=models.DB_CASCADE, related_name="readings")
    value = models.FloatField()
    taken_on = models.DateField()
    note = models.CharField(max_length=500, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.DB_SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ("taken_on", "id")

    def __str__(self) -> str:
        return f"{self.measure}: {self.value} on {self.taken_on}"
