"""Reads for partnerships. Every read starts from the caller's memberships."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, NamedTuple

from django.db.models import Model, Prefetch, QuerySet, prefetch_related_objects
from django.utils import timezone

from accord.lib.errors import NotFound
from accord.partnerships.models import Invitation, Membership, Partnership, member_of

if TYPE_CHECKING:
    from accord.accounts.models import User


def _with_members(qs: QuerySet[Partnership]) -> QuerySet[Partnership]:
    return qs.prefetch_related(Prefetch("memberships", queryset=Membership.objects.select_related("user")))


def partnership_list(*, user: User) -> QuerySet[Partnership]:
    """The caller's partnerships, with their members."""
    return _with_members(Partnership.objects.for_user(user))


def partnership_get(*, user: User, pid: int) -> Partnership:
    """One of the caller's partnerships, or NotFound: outsiders cannot tell it exists."""
    partnership = _with_members(Partnership.objects.for_user(user)).filter(pk=pid).first()
    if partnership is None:
        raise NotFound()
    return partnership


def partnership_find(*, user: User, pid: int) -> Partnership:
    """One of the caller's partnerships, its row alone, in one query, or NotFound: the access check
    a page's door (accord.lib.views) makes once per request. `partnership_members_load` adds its
    members when the page is rendered."""
    partnership = Partnership.objects.for_user(user).filter(pk=pid).first()
    if partnership is None:
        raise NotFound()
    return partnership


def partnership_members_load(partnership: Partnership) -> Partnership:
    """The members of a partnership read by `partnership_find`, as `partnership_get` gives them."""
    prefetch_related_objects([partnership], Prefetch("memberships", queryset=Membership.objects.select_related("user")))
    return partnership


class Stamp(NamedTuple):
    version: int
    born: datetime
    timezone: str


def partnership_stamp(*, user: User, pid: int) -> Stamp:
    """The version, creation time and time zone of one of the caller's partnerships, or NotFound:
    the access check of a cached page (accord.lib.pagecache), in one query."""
    rows = Partnership.objects.for_user(user).filter(pk=pid).order_by().values_list("version", "created_at", "timezone")
    row = next(iter(rows[:1]), None)
    if row is None:
        raise NotFound()
    return Stamp(*row)


def partnership_stamp_of(*, user: User, model: type[Model], pk: int) -> tuple[int, Stamp]:
    """The partnership of row `pk` of `model` (which has a `partnership`) and its stamp, when the
    caller belongs to it, or NotFound: the access check of a cached API read of that row, in one query."""
    if not user.is_authenticated:
        raise NotFound()
    rows = (
        model._default_manager.filter(member_of(user, "partnership__"), pk=pk)
        .order_by()
        .values_list("partnership_id", "partnership__version", "partnership__created_at", "partnership__timezone")
    )
    row = next(iter(rows[:1]), None)
    if row is None:
        raise NotFound()
    return row[0], Stamp(*row[1:])


def membership_get(*, partnership: Partnership, user: User) -> Membership:
    for membership in partnership.memberships.all():
        if membership.user_id == user.pk:
            return membership
    raise NotFound()


def invitation_list_pending(*, partnership: Partnership) -> QuerySet[Invitation]:
    return partnership.invitations.filter(accepted_at__isnull=True, expires_at__gt=timezone.now()).select_related(
        "invited_by"
    )


def invitation_get_pending(*, token: str) -> Invitation:
    """An invitation that can still be accepted; unknown, expired and used ones are NotFound."""
    invitation = (
        Invitation.objects.select_related("partnership", "invited_by")
        .filter(token=token, accepted_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )
    if invitation is None:
        raise NotFound("This invitation link is unknown, expired or already used.")
    return invitation


def partnership_get_by_team_secret(*, secret: str) -> Partnership:
    partnership = _with_members(Partnership.objects.filter(team_page_secret=secret)).first()
    if partnership is None:
        raise NotFound()
    return partnership


def partnership_choices(*, user: User) -> QuerySet[Partnership]:
    """The caller's partnerships for the switcher: names only, one query, evaluated lazily."""
    return Partnership.objects.for_user(user).only("id", "name", "team")


def invitation_list_for_email(*, email: str) -> QuerySet[Invitation]:
    """Pending invitations addressed to `email` (shown on its owner's home page)."""
    return Invitation.objects.filter(
        email__iexact=email, accepted_at__isnull=True, expires_at__gt=timezone.now()
    ).select_related("partnership", "invited_by")
