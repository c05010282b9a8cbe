"""Iterate: 1:1s and partnership retros, their agendas and cards, action items and experiments."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.timezone import now

from accord.partnerships.models import Partnership, PartnerTextQuerySet

if TYPE_CHECKING:
    pass

COLUMNS = ("going_well", "frustrating", "try_next")
DEFAULT_COLUMN_LABELS = {
    "going_well": "Going well",
    "frustrating": "Frustrating",
    "try_next": "Try next month",
}
PHASES = ("write", "reveal", "group", "vote", "discuss", "decide")


class RetroFormat(models.Model):
    """A partnership's own names for the three retro columns (their keys never change)."""

    partnership = models.OneToOneField(Partnership, on_delete=models.DB_CASCADE, related_name="retro_format")
    going_well = models.CharField(max_length=60, default=DEFAULT_COLUMN_LABELS["going_well"])
    frustrating = models.CharField(max_length=60, default=DEFAULT_COLUMN_LABELS["frustrating"])
    try_next = models.CharField(max_length=60, default=DEFAULT_COLUMN_LABELS["try_next"])
    votes_per_person = models.PositiveSmallIntegerField(default=3)

    def __str__(self) -> str:
        return f"Retro format of {self.partnership}"

    def labels(self) -> dict[str, str]:
        return {key: getattr(self, key) for key in COLUMNS}


class Meeting(models.Model):
    class Kind(models.TextChoices):
        ONE_ON_ONE = "one_on_one", "1:1"
        RETRO = "retro", "Partnership retro"

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        HELD = "held", "Held"
        CANCELLED = "cancelled", "Cancelled"

    partnership = models.ForeignKey(Partnership, on_delete=models.DB_CASCADE, related_name="meetings")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    scheduled_for = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    phase = models.CharField(max_length=10, default="write", choices=[(p, p.title()) for p in PHASES])
    revealed_at = models.DateTimeField(null=True, blank=True)
    column_labels = models.JSONField(default=dict)  # the retro's column names when it was planned
    votes_per_person = models.PositiveSmallIntegerField(default=3)
    notes = models.TextField(max_length=20000, blank=True)
    notes_revision = models.PositiveIntegerField(default=0)
    held_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.DB_SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ("-scheduled_for", "-id")
        indexes = [
            models.Index(fields=("partnership", "status", "scheduled_for")),
            models.Index(fields=("partnership", "kind", "status", "scheduled_for")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="held", held_at__isnull=False) | ~Q(status="held"), name="meeting_held_has_time"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.partnership} on {self.scheduled_for:%Y-%m-%d}"

    @property
    def is_retro(self) -> bool:
        return self.kind == self.Kind.RETRO

    @property
    def revealed(self) -> bool:
        return self.revealed_at is not None


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.DB_CASCADE, related_name="agenda")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.DB_SET_NULL, null=True, related_name="+")
    text = models.CharField(max_length=500)
    position = models.PositiveIntegerField(default=0)
    discussed = models.BooleanField(default=False)
    carried_from = models.ForeignKey(Meeting, on_delete=models.DB_SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ("position", "id")

    def __str__(self) -> str:
        return self.text


class CardGroup(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.DB_CASCADE, related_name="groups")
    title = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ("id",)

    def __str__(self) -> str:
        return self.title or f"Group {self.pk}"


class CardQuerySet(PartnerTextQuerySet["Card"]):
    """Retro cards: revealed with their retro. Pages, API, export and themes read them here."""

    partnership_path, author_field = "meeting__partnership", "author"
    revealed = Q(meeting__revealed_at__isnull=False)


class Card(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.DB_CASCADE, related_name="cards")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.DB_SET_NULL, null=True, related_name="+")
    column = models.CharField(max_length=12, choices=[(c, c) for c in COLUMNS])
    text = models.CharField(max_length=500)
    group = models.ForeignKey(CardGroup, on_delete=models.DB_SET_NULL, null=True, blank=True, related_name="cards")
    created_at = models.DateTimeField(default=now)

    objects: ClassVar[CardQuerySet] = CardQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ("created_at", "id")
        constraints = [models.CheckConstraint(condition=Q(column__in=COLUMNS), name="card_column_known")]

    def __str__(self) -> str:
        return self.text


class Vote(models.Model):
    """One dot. A member may put several of their votes on the same card."""

    card = models.ForeignKey(Card, on_delete=models.DB_CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.DB_CASCADE, related_name="+")
    created_at = models.DateTimeField(default=now)

    def __str__(self) -> str:
        return f"{self.user} on {self.card}"


class ActionItem(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.DB_CASCADE, related_name="action_items")
    meeting = models.ForeignKey(
        Meeting, on_delete=models.DB_SET_NULL, null=True, blank=True, related_name="action_items"
    )
    card = models.ForeignKey(Card, on_delete=models.DB_SET_NULL, null=True, blank=True, related_name="+")
    text = models.CharField(max_length=500)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.DB_SET_NULL, null=True, related_name="+")
    due_on = models.DateField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.DB_SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ("done_at", "due_on", "created_at", "id")
        indexes = [models.Index(fields=("partnership", "done_at"))]

    def __str__(self) -> str:
        return self.text

    @property
    def done(self) -> bool:
        return self.done_at is not None


class Experiment(models.Model):
    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        KEPT = "kept", "Kept"
        ADAPTED = "adapted", "Adapted"
        DROPPED = "dropped", "Dropped"

    partnership = models.ForeignKey(Partnership, on_delete=models.DB_CASCADE, related_name="experiments")
    card = models.ForeignKey(Card, on_delete=models.DB_SET_NULL, null=True, blank=True, related_name="+")
    title = models.CharField(max_length=200)
    hypothesis = models.TextField(max_length=2000, blank=True)
    success_signal = models.TextField(max_length=2000, blank=True)
    review_on = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    outcome = models.TextField(max_length=4000, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    charter_revision = models.ForeignKey(
        "charters.CharterRevision", on_delete=models.DB_SET_NULL, null=True, blank=True, related_name="+"
    )
    objective = models.ForeignKey(
        "alignment.Objective", on_delete=models.DB_SET_NULL, null=True, blank=True, related_name="experiments"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.DB_SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return self.title


class ReminderSent(models.Model):
    """A reminder that went out; the unique key makes `accord remind` send each one once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.DB_CASCADE, related_name="+")
    key = models.CharField(max_length=120)
    sent_at = models.DateTimeField(default=now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=("user", "key"), name="reminder_once")]

    def __str__(self) -> str:
        return f"{self.key} to {self.user}"
