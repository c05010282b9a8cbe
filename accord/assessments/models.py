"""Health checks: where the partnership is today and where each partner wants it to go."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.timezone import now

from accord.partnerships.models import Partnership, PartnerTextQuerySet

if TYPE_CHECKING:
    pass

RATING_RANGE = Q(today__gte=1, today__lte=5) | Q(today__isnull=True)


class Dimension(models.Model):
    """One line of a partnership's own health-check template. Retired ones stay for history."""

    partnership = models.ForeignKey(Partnership, on_delete=models.DB_CASCADE, related_name="dimensions")
    key = models.SlugField(max_length=60)
    title = models.CharField(max_length=80)
    description = models.TextField(max_length=600)
    position = models.PositiveSmallIntegerField(default=0)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("position", "id")
        constraints = [models.UniqueConstraint(fields=("partnership", "key"), name="dimension_key_unique")]

    def __str__(self) -> str:
        return self.title


class HealthCheck(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        REVEALED = "revealed", "Revealed"

    partnership = models.ForeignKey(Partnership, on_delete=models.DB_CASCADE, related_name="health_checks")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.DB_SET_NULL, null=True, related_name="+")
    opened_at = models.DateTimeField(default=now)
    revealed_at = models.DateTimeField(null=True, blank=True)
    closed_early = models.BooleanField(default=False)
    # Written once at reveal (a revealed check never changes): the mean "today" over every
    # dimension, and per dimension key its means and perception gap. Insights read these.
    score = models.FloatField(null=True, blank=True)
    summary = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ("-opened_at", "-id")
        constraints = [
            models.UniqueConstraint(fields=("partnership", "number"), name="healthcheck_number_unique"),
            models.UniqueConstraint(fields=("partnership",), condition=Q(status="open"), name="healthcheck_one_open"),
            models.CheckConstraint(
                condition=Q(status="open", revealed_at__isnull=True) | Q(status="revealed", revealed_at__isnull=False),
                name="healthcheck_revealed_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"Health check #{self.number} of {self.partnership}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class CheckDimension(models.Model):
    """A dimension as it was asked in one check: editing the template never rewrites history."""

    check_run = models.ForeignKey(HealthCheck, on_delete=models.DB_CASCADE, related_name="dimensions")
    key = models.SlugField(max_length=60)
    title = models.CharField(max_length=80)
    description = models.TextField(max_length=600)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ("position", "id")
        constraints = [models.UniqueConstraint(fields=("check_run", "key"), name="checkdimension_key_unique")]

    def __str__(self) -> str:
        return self.title


class ResponseQuerySet(PartnerTextQuerySet["Response"]):
    """Health-check answers (ratings, notes, guesses): a submitted answer is revealed with its check."""

    partnership_path, author_field = "check_run__partnership", "user"
    revealed = Q(check_run__status="revealed", submitted_at__isnull=False)


class Response(models.Model):
    """One member's answer to one check: a draft until submitted."""

    check_run = models.ForeignKey(HealthCheck, on_delete=models.DB_CASCADE, related_name="responses")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.DB_CASCADE, related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=now)

    objects: ClassVar[ResponseQuerySet] = ResponseQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        constraints = [models.UniqueConstraint(fields=("check_run", "user"), name="response_unique")]

    def __str__(self) -> str:
        return f"{self.user} on {self.check_run}"


class Rating(models.Model):
    response = models.ForeignKey(Response, on_delete=models.DB_CASCADE, related_name="ratings")
    dimension = models.ForeignKey(CheckDimension, on_delete=models.DB_CASCADE, related_name="ratings")
    today = models.PositiveSmallIntegerField(null=True, blank=True)
    target = models.PositiveSmallIntegerField(null=True, blank=True)
    # This member's guess of how their partner(s) rate "today".
    guess = models.PositiveSmallIntegerField(null=True, blank=True)
    note = models.TextField(max_length=2000, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=("response", "dimension"), name="rating_unique"),
            models.CheckConstraint(condition=RATING_RANGE, name="rating_today_range"),
            models.CheckConstraint(
                condition=Q(target__gte=1, target__lte=5) | Q(target__isnull=True), name="rating_target_range"
            ),
            models.CheckConstraint(
                condition=Q(guess__gte=1, guess__lte=5) | Q(guess__isnull=True), name="rating_guess_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dimension}: {self.today} → {self.target}"
