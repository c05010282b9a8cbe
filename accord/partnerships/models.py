"""Partnerships and who belongs to them. Every other app's access rule starts here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Protocol

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.timezone import now

from accord.lib.models import Versioned

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accord.accounts.models import User


class Role(models.TextChoices):
    EM = "EM", "Engineering manager"
    PM = "PM", "Product manager"
    DESIGN = "Design", "Design lead"
    OTHER = "Other", "Other"


def member_of(user: User, through: str = "") -> Q:
    """The one rule of access: `user` is a member of the partnership (of the row's partnership, given
    the path to it: `through="partnership__"`, which joins instead of a subquery of partnerships)."""
    return Q(**{f"{through}memberships__user": user})


class PartnershipQuerySet(models.QuerySet["Partnership"]):
    def for_user(self, user: User | AnonymousUser) -> PartnershipQuerySet:
        """The partnerships `user` is a member of: where every access check begins."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(member_of(user))


class PartnerTextQuerySet[M: models.Model](models.QuerySet[M]):
    """Partner-authored input that is blind until revealed (sides, cards, answers, journal entries).
    A subclass names where its partnership is, who wrote it, and its one definition of revealed;
    `visible_to` and `shared_in` are then the only ways to read it for a person or for everyone."""

    partnership_path: ClassVar[str]  # lookup path to the partnership
    author_field: ClassVar[str]
    revealed: ClassVar[Q]  # what every member may read

    def visible_to(self, user: User) -> PartnerTextQuerySet[M]:
        """What `user` may read: their own, and what is revealed, in their partnerships only."""
        if not user.is_authenticated:
            return self.none()
        mine = Q(**{self.author_field: user})
        return self.filter(**{f"{self.partnership_path}__in": Partnership.objects.for_user(user)}).filter(
            mine | self.revealed
        )

    def shared_in(self, partnership: Partnership) -> PartnerTextQuerySet[M]:
        """What every member of `partnership` may read: what themes and reports draw on."""
        return self.filter(self.revealed, **{self.partnership_path: partnership})

    def withdraw_leavers(self) -> None:
        """Delete what members who have left wrote: called at a reveal, so that input given before
        its author left never reaches anyone (the caller's unit of work covers the delete)."""
        member = Membership.objects.filter(
            partnership=OuterRef(self.partnership_path), user=OuterRef(self.author_field)
        )
        self.filter(~Exists(member)).delete()


CADENCE_VALIDATORS = [MinValueValidator(1), MaxValueValidator(365)]


class Rhythm(Protocol):
    """What the calendar's figures read of a partnership: its name, its zone and its cadences. A
    `Partnership` is one; so is a `RhythmRow`, read without a model instance when there are thousands."""

    @property
    def pk(self) -> int: ...
    @property
    def name(self) -> str: ...
    @property
    def timezone(self) -> str: ...
    @property
    def one_on_one_days(self) -> int: ...
    @property
    def retro_days(self) -> int: ...
    @property
    def health_check_days(self) -> int: ...


@dataclass(frozen=True, slots=True)
class RhythmRow:
    """A partnership's `Rhythm` as plain values (`RHYTHM` names its columns, in order)."""

    pk: int
    name: str
    timezone: str
    one_on_one_days: int
    retro_days: int
    health_check_days: int


RHYTHM = ("id", "name", "timezone", "one_on_one_days", "retro_days", "health_check_days")


class Partnership(Versioned):
    name = models.CharField(max_length=120)
    team = models.CharField(max_length=120, blank=True)
    timezone = models.CharField(max_length=64, default="UTC")
    one_on_one_days = models.PositiveSmallIntegerField("1:1 every (days)", default=7, validators=CADENCE_VALIDATORS)
    retro_days = models.PositiveSmallIntegerField("Retro every (days)", default=30, validators=CADENCE_VALIDATORS)
    health_check_days = models.PositiveSmallIntegerField(
        "Health check every (days)", default=90, validators=CADENCE_VALIDATORS
    )
    # Set while the team page is published; a new secret revokes the old link.
    team_page_secret = models.CharField(max_length=64, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(default=now)
    # Rises with `version`, except after a write that changes no stored figure (a retro card, a talking
    # point, a journal entry: `partnership_write(..., figures=False)`): what accord.insights.stored keys on.
    figures_version = models.PositiveBigIntegerField(default=0, editable=False)

    objects: ClassVar[PartnershipQuerySet] = PartnershipQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ("name", "id")
        constraints = [
            models.CheckConstraint(
                condition=Q(one_on_one_days__gte=1, one_on_one_days__lte=365)
                & Q(retro_days__gte=1, retro_days__lte=365)
                & Q(health_check_days__gte=1, health_check_days__lte=365),
                name="partnership_cadences_in_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def team_page_published(self) -> bool:
        return self.team_page_secret is not None


class Membership(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.DB_CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.DB_CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices)
    joined_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ("joined_at", "id")
        constraints = [
            models.UniqueConstraint(fields=("partnership", "user"), name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.role}) in {self.partnership}"


class Invitation(models.Model):
    """A link that lets one person join a partnership in a given role, once."""

    partnership = models.ForeignKey(Partnership, on_delete=models.DB_CASCADE, related_name="invitations")
    token = models.CharField(max_length=64, unique=True)
    email = models.EmailField(blank=True)
    role = models.CharField(max_length=10, choices=Role.choices)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.DB_SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=now)
    expires_at = models.DateTimeField()
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.DB_SET_NULL, null=True, blank=True, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"Invitation to {self.partnership} as {self.role}"

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.expires_at > now()
