"""Writes for partnerships: create, settings, invitations, joining and leaving."""

from __future__ import annotations

import zoneinfo
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import validate_email
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accord.lib.errors import Conflict, NotFound, ValidationError
from accord.lib.freshness import partnership_write
from accord.lib.http import absolute_url
from accord.lib.mail import Mail, send_quietly
from accord.lib.text import clean_line
from accord.lib.tokens import new_secret
from accord.partnerships.models import Invitation, Membership, Partnership, Role
from accord.partnerships.selectors import invitation_get_pending

if TYPE_CHECKING:
    from accord.accounts.models import User

CADENCE_FIELDS = ("one_on_one_days", "retro_days", "health_check_days")


def _clean_role(role: str, field: str = "role") -> str:
    if role not in Role.values:
        raise ValidationError({field: f"Choose one of {', '.join(Role.values)}."})
    return role


def partnership_create(*, user: User, name: str, role: str, team: str = "", at: datetime | None = None) -> Partnership:
    """A new partnership with `user` as its first member (`at`: when, for imported or demo history)."""
    moment = at or timezone.now()
    partnership = Partnership(
        name=clean_line(name, field="name", max_length=120),
        team=clean_line(team, field="team", max_length=120, required=False),
        created_at=moment,
    )
    role = _clean_role(role)
    with partnership_write(users=[user]) as changed:
        partnership.full_clean()
        partnership.save()
        changed.add(partnerships=[partnership])
        Membership.objects.create(partnership=partnership, user=user, role=role, joined_at=moment)
    return partnership


def partnership_update(
    *,
    partnership: Partnership,
    name: str | None = None,
    team: str | None = None,
    timezone_name: str | None = None,
    cadences: dict[str, int] | None = None,
    team_page_published: bool | None = None,
) -> Partnership:
    """Change settings. Publishing the team page makes a new secret link; unpublishing drops it."""
    if name is not None:
        partnership.name = clean_line(name, field="name", max_length=120)
    if team is not None:
        partnership.team = clean_line(team, field="team", max_length=120, required=False)
    if timezone_name is not None:
        if timezone_name not in zoneinfo.available_timezones():
            raise ValidationError({"timezone": "Choose a time zone such as Europe/Berlin or America/New_York."})
        partnership.timezone = timezone_name
    for field, value in (cadences or {}).items():
        if field not in CADENCE_FIELDS:
            raise ValidationError({field: "Unknown cadence."})
        setattr(partnership, field, value)
    if team_page_published is True and partnership.team_page_secret is None:
        partnership.team_page_secret = new_secret()
    elif team_page_published is False:
        partnership.team_page_secret = None
    partnership.full_clean()
    # Every member's switcher shows the name.
    with partnership_write(partnership, users=partnership.memberships.values_list("user_id", flat=True)):
        partnership.save(update_fields=["name", "team", "timezone", *CADENCE_FIELDS, "team_page_secret"])
    return partnership


def partnership_team_page_regenerate(*, partnership: Partnership) -> Partnership:
    """A new secret for the team page: the old link stops working."""
    partnership.team_page_secret = new_secret()
    with partnership_write(partnership):
        partnership.save(update_fields=["team_page_secret"])
    return partnership


def team_page_path(partnership: Partnership) -> str:
    return reverse("alignment-team-page", args=[partnership.team_page_secret])


def team_page_url(partnership: Partnership, request: HttpRequest | None = None) -> str | None:
    if not partnership.team_page_published:
        return None
    return absolute_url(team_page_path(partnership), request)


def invitation_url(invitation: Invitation, request: HttpRequest | None = None) -> str:
    return absolute_url(reverse("partnerships-invitation", args=[invitation.token]), request)


def invitation_create(
    *, partnership: Partnership, invited_by: User, role: str, email: str = "", request: HttpRequest | None = None
) -> Invitation:
    """An invitation link; with an email address, the link is mailed there too."""
    role = _clean_role(role)
    email = (email or "").strip().lower()
    if email:
        try:
            validate_email(email)
        except ValidationError as exc:
            raise ValidationError({"email": "Enter a valid email address, or leave it empty."}) from exc
        if any(m.user.email == email for m in partnership.memberships.all()):
            raise ValidationError({"email": "This person is already a member."})
    if partnership.memberships.count() >= settings.ACCORD_MAX_MEMBERS:
        raise Conflict(f"A partnership has at most {settings.ACCORD_MAX_MEMBERS} members.")
    with partnership_write(partnership):
        invitation = Invitation.objects.create(
            partnership=partnership,
            token=new_secret(),
            email=email,
            role=role,
            invited_by=invited_by,
            expires_at=timezone.now() + timedelta(days=settings.ACCORD_INVITATION_DAYS),
        )
    if email:
        context = {"invitation": invitation, "url": invitation_url(invitation, request), "inviter": invited_by}
        send_quietly(
            [
                Mail(
                    f"{invited_by.name} invites you to {partnership.name} on Accord",
                    render_to_string("partnerships/email/invitation.txt", context),
                    [email],
                )
            ]
        )
    return invitation


def invitation_revoke(*, partnership: Partnership, invitation_id: int) -> None:
    with partnership_write(partnership):
        deleted, _ = partnership.invitations.filter(pk=invitation_id, accepted_at__isnull=True).delete()
        if not deleted:
            raise NotFound()


def invitee_check(email: str, user: User) -> None:
    """An invitation sent to an address is for that address's account only (partnerships and
    organisations alike); one made without an address is for whoever holds the link."""
    if email and email.lower() != user.email.lower():
        raise Conflict(
            "This invitation was sent to another email address. Log in with the account of the address "
            "it was sent to, or ask for a new link."
        )


def invitation_accept(*, token: str, user: User, at: datetime | None = None) -> Partnership:
    """Join the partnership the invitation is for. Used, expired or unknown links are NotFound. An
    invitation sent to an email address is for that address's account only; a link made without
    one is for whoever holds it."""
    moment = at or timezone.now()
    with partnership_write(users=[user]) as changed:
        invitation = invitation_get_pending(token=token)
        partnership = invitation.partnership
        changed.add(partnerships=[partnership])
        invitee_check(invitation.email, user)
        if partnership.memberships.filter(user=user).exists():
            return partnership  # already in: the link stays usable for the person it was meant for
        if partnership.memberships.count() >= settings.ACCORD_MAX_MEMBERS:
            raise Conflict(f"{partnership.name} already has {settings.ACCORD_MAX_MEMBERS} members.")
        claimed = Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(
            accepted_at=moment, accepted_by=user
        )
        if not claimed:
            raise NotFound("This invitation link is unknown, expired or already used.")
        Membership.objects.create(partnership=partnership, user=user, role=invitation.role, joined_at=moment)
    return partnership


def membership_leave(*, partnership: Partnership, user: User, confirm_delete: bool = False) -> bool:
    """Leave a partnership. The last member may only leave by deleting it, and must say so.

    Returns True when the partnership was deleted.
    """
    with partnership_write(partnership, users=[user]):
        memberships = list(Membership.objects.select_for_update().filter(partnership=partnership))
        mine = [m for m in memberships if m.user_id == user.pk]
        if not mine:
            raise NotFound()
        if len(memberships) == 1:
            if not confirm_delete:
                raise Conflict(
                    "You are the last member: leaving deletes this partnership and all its history. "
                    "Confirm to delete it."
                )
            partnership.delete()
            return True
        mine[0].delete()
    return False
