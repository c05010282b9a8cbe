"""Align: the team's business objectives and key results, and decisions both partners sign."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.timezone import now

from accord.partnerships.models import Partnership


class Objective(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.DB_CASCADE, related_name="objectives")
    title = models.CharField(max_length=200)
    why = models.TextField(max_length=2000, blank=True)
    starts_on = models.DateField()
    ends_on = models.DateField()
    archived_at = models.DateTimeField(null=True, blank=True)  # archived early, by hand
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.DB_SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ("-starts_on", "title", "id")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="objective_period_order"),
        ]

    def __str__(self) -> str:
        return self.title

    def is_archived(self, today: date) -> bool:
        """Archived by hand, or because its period is over (`today` in the partnership's zone)."""
        return self.archived_at is not None or self.ends_on < today


class KeyResult(models.Model):
    objective = models.ForeignKey(Objective, on_delete=models.DB_CASCADE, related_name="key_results")
    name = models.CharField(max_length=200)
    baseline = models.FloatField()
    target = models.FloatField()
    unit = models.CharField(max_length=20, blank=True)
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ("created_at", "id")

    def __str__(self) -> str:
        return self.name


class KeyResultReading(models.Model):
    key_result = models.ForeignKey(KeyResult, on_delete=models.DB_CASCADE, related_name="readings")
    value = models.FloatField()
    taken_on = models.DateField()
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.DB_SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ("taken_on", "id")

    def __str__(self) -> str:
        return f"{self.key_result}: {self.value} on {self.taken_on}"


class Decision(models.Model):
    class Kind(models.TextChoices):
        DECISION = "decision", "Decision"
        REQUEST = "request", "Incoming request"

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Waiting for sign-off"
        AGREED = "agreed", "Agreed"
        SUPERSEDED = "superseded", "Superseded"

    class Triage(models.TextChoices):
        ACCEPT = "accept", "Accept"
        DECLINE = "decline", "Decline"
        DEFER = "defer", "Defer"

    partnership = models.ForeignKey(Partnership, on_delete=models.DB_CASCADE, related_name="decisions")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.DECISION)
    title = models.CharField(max_length=200)
    context = models.TextField(max_length=4000, blank=True)
    options = models.JSONField(default=list)
    evidence = models.TextField(max_length=4000, blank=True)
    outcome = models.TextField(max_length=4000, blank=True)
    objectives = models.ManyToManyField(Objective, blank=True, related_name="decisions", through="DecisionObjective")
    requester = models.CharField(max_length=200, blank=True)
    needed_by = models.DateField(null=True, blank=True)
    triage = models.CharField(max_length=8, choices=Triage.choices, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    revisits = models.ForeignKey(
        "self", on_delete=models.DB_SET_NULL, null=True, blank=True, related_name="revisited_by"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.DB_SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=now)
    agreed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = [models.Index(fields=("partnership", "status"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="agreed", agreed_at__isnull=False) | ~Q(status="agreed"), name="decision_agreed_time"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def triage_outcome(self) -> str:
        """ "accepted", "declined" or "deferred" (empty until triaged)."""
        return {"accept": "accepted", "decline": "declined", "defer": "deferred"}.get(self.triage, "")


class SignOff(models.Model):
    """A member's answer to a decision: signed, or objected with a reason (which keeps it open)."""

    class Kind(models.TextChoices):
        SIGNED = "signed", "Signed"
        OBJECTED = "objected", "Objected"

    decision = models.ForeignKey(Decision, on_delete=models.DB_CASCADE, related_name="signoffs")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.DB_CASCADE, related_name="+")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    reason = models.TextField(max_length=2000, blank=True)
    at = models.DateTimeField(default=now)

    class Meta:
        ordering = ("at", "id")
        constraints = [models.UniqueConstraint(fields=("decision", "user"), name="signoff_once")]

    def __str__(self) -> str:
        return f"{self.user} {self.kind} {self.decision}"


class DecisionObjective(models.Model):
    """An objective a decision serves: removed with either, by the database."""

    decision = models.ForeignKey(Decision, on_delete=models.DB_CASCADE)
    objective = models.ForeignKey(Objective, on_delete=models.DB_CASCADE)

    class Meta:
        db_table = "alignment_decision_objectives"
        constraints = [models.UniqueConstraint(fields=["decision", "objective"], name="decision_objective_once")]

    def __str__(self) -> str:
        return f"{self.decision_id} serves {self.objective_id}"
