"""Disagreements worked through blind, side by side; and a private-by-default journal."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.timezone import now

from accord.partnerships.models import Partnership, PartnerTextQuerySet

if TYPE_CHECKING:
    pass


class Tension(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        RESOLVED = "resolved", "Resolved"

    partnership = models.ForeignKey(Partnership, on_delete=models.DB_CASCADE, related_name="tensions")
    topic = models.CharField(max_length=200)
    tags = models.JSONField(default=list)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.DB_SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=now)
    # Set once, when every member of the day has written a side; from then on every side is shared.
    revealed_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    # The resolution as last proposed; it holds once every member has agreed to it.
    resolution = models.TextField(max_length=4000, blank=True)
    resolution_proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.DB_SET_NULL, null=True, blank=True, related_name="+"
    )
    resolution_proposed_at = models.DateTimeField(null=True, blank=True)
    decision = models.ForeignKey(
        "alignment.Decision", on_delete=models.DB_SET_NULL, null=True, blank=True, related_name="tensions"
    )

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = [models.Index(fields=("partnership", "status"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", resolved_at__isnull=True) | Q(status="resolved", resolved_at__isnull=False),
                name="tension_resolved_has_time",
            ),
            models.CheckConstraint(
                condition=Q(status="open") | Q(revealed_at__isnull=False), name="tension_resolved_was_revealed"
            ),
        ]

    def __str__(self) -> str:
        return self.topic


class PerspectiveQuerySet(PartnerTextQuerySet["Perspective"]):
    """Sides: a side is revealed with its tension. Pages, API, export and themes read them here."""

    partnership_path, author_field = "tension__partnership", "author"
    revealed = Q(tension__revealed_at__isnull=False)


class Perspective(models.Model):
    """One member's side, written blind: what matters to me and why; what I think my partner prioritises."""

    tension = models.ForeignKey(Tension, on_delete=models.DB_CASCADE, related_name="perspectives")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.DB_CASCADE, related_name="+")
    important_to_me = models.TextField(max_length=2000)
    why = models.TextField(max_length=2000, blank=True)
    partner_priority_guess = models.TextField(max_length=2000, blank=True)
    updated_at = models.DateTimeField(default=now)

    objects: ClassVar[PerspectiveQuerySet] = PerspectiveQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ("updated_at", "id")
        constraints = [models.UniqueConstraint(fields=("tension", "author"), name="perspective_once")]

    def __str__(self) -> str:
        return f"{self.author}'s side of {self.tension}"


class Amendment(models.Model):
    """A change to a side made after the sides were shown: the side stays as it was when shown, and
    what changed since is added, dated, below it."""

    perspective = models.ForeignKey(Perspective, on_delete=models.DB_CASCADE, related_name="amendments")
    text = models.TextField(max_length=2000)
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ("created_at", "id")

    def __str__(self) -> str:
        return f"Amendment to {self.perspective}"


class ResolutionAgreement(models.Model):
    """A member agreeing to the resolution as proposed; a new proposal starts the agreement again."""

    tension = models.ForeignKey(Tension, on_delete=models.DB_CASCADE, related_name="agreements")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.DB_CASCADE, related_name="+")
    at = models.DateTimeField(default=now)

    class Meta:
        ordering = ("at", "id")
        constraints = [models.UniqueConstraint(fields=("tension", "user"), name="resolution_agreed_once")]

    def __str__(self) -> str:
        return f"{self.user} agrees on {self.tension}"


class GuessRating(models.Model):
    """After the reveal, a member says how well a partner read their priority."""

    class Rating(models.TextChoices):
        RIGHT = "right", "Spot on"
        PARTLY = "partly", "Partly"
        WRONG = "wrong", "Not really"

    perspective = models.ForeignKey(Perspective, on_delete=models.DB_CASCADE, related_name="reads")
    rater = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.DB_CASCADE, related_name="+")
    rating = models.CharField(max_length=8, choices=Rating.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=("perspective", "rater"), name="guess_rating_once")]

    def __str__(self) -> str:
        return f"{self.rater} on {self.perspective}: {self.rating}"


class JournalEntryQuerySet(PartnerTextQuerySet["JournalEntry"]):
    """Journal entries: private to their author until shared."""

    partnership_path, author_field = "partnership", "author"
    revealed = Q(visibility="shared")


class JournalEntry(models.Model):
    class Visibility(models.TextChoices):
        PRIVATE = "private", "Only me"
        SHARED = "shared", "Shared with my partner"

    partnership = models.ForeignKey(Partnership, on_delete=models.DB_CASCADE, related_name="journal_entries")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.DB_CASCADE, related_name="+")
    text = models.TextField(max_length=4000)
    visibility = models.CharField(max_length=8, choices=Visibility.choices, default=Visibility.PRIVATE)
    created_at = models.DateTimeField(default=now)
    updated_at = models.DateTimeField(default=now)
    # Where the author brought it: a talking point of a 1:1 or a (blind) card of a retro.
    brought_to = models.ForeignKey(
        "rituals.Meeting", on_delete=models.DB_SET_NULL, null=True, blank=True, related_name="+"
    )

    objects: ClassVar[JournalEntryQuerySet] = JournalEntryQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = [models.Index(fields=("partnership", "author")), models.Index(fields=("partnership", "visibility"))]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def is_shared(self) -> bool:
        return self.visibility == self.Visibility.SHARED
