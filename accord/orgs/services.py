"""Writes for organisations: create, invite coaches and admins, partnerships granting access,
templates offered to and adopted by partnerships."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import validate_email
from django.db.models import Max
from django.http import HttpRequest
from django.urls import reverse
from django.utils.text import slugify
from django.utils.timezone import now

from accord.assessments.models import Dimension
from accord.assessments.services import template_ensure
from accord.lib.errors import Forbidden, NotFound, ValidationError
from accord.lib.freshness import partnership_write
from accord.lib.http import absolute_url
from accord.lib.mail import Mail, send_quietly
from accord.lib.text import clean_line
from accord.lib.tokens import new_secret
from accord.orgs.models import OrgAccess, OrgAccessInvitation, Organisation, OrgInvitation, OrgMembership, OrgTemplate
from accord.partnerships.models import Partnership
from accord.partnerships.services import invitee_check

if TYPE_CHECKING:
    from accord.accounts.models import User


def org_create(*, user: User, name: str) -> Organisation:
    with partnership_write(users=[user]) as changed:
        org = Organisation.objects.create(name=clean_line(name, field="name", max_length=120), created_by=user)
        changed.add(orgs=[org])
        OrgMembership.objects.create(organisation=org, user=user, role=OrgMembership.Role.ADMIN)
    return org


def _require_admin(org: Organisation, user: User) -> None:
    if not org.memberships.filter(user=user, role=OrgMembership.Role.ADMIN).exists():
        raise Forbidden("Only the organisation's admins can do this.")


def _email(raw: str, message: str, *, required: bool = False) -> str:
    """`raw` as a lower-case email address ("" when empty and not `required`), or the message."""
    email = (raw or "").strip().lower()
    if email or required:
        try:
            validate_email(email)
        except ValidationError as exc:
            raise ValidationError({"email": message}) from exc
    return email


def org_invitation_url(invitation: OrgInvitation, request: HttpRequest | None = None) -> str:
    return absolute_url(reverse("orgs-invitation", args=[invitation.token]), request)


def org_invitation_create(
    *, org: Organisation, user: User, role: str, email: str = "", request: HttpRequest | None = None
) -> OrgInvitation:
    _require_admin(org, user)
    if role not in OrgMembership.Role.values:
        raise ValidationError({"role": "Choose coach or admin."})
    email = _email(email, "Enter a valid email address, or leave it empty.")
    with partnership_write(orgs=[org]):
        invitation = OrgInvitation.objects.create(
            organisation=org,
            token=new_secret(),
            email=email,
            role=role,
            invited_by=user,
            expires_at=now() + timedelta(days=settings.ACCORD_INVITATION_DAYS),
        )
    if email:
        body = (
            f"{user.name} invites you to join {org.name} on Accord as {role}.\n\n"
            f"You will see figures of the partnerships that choose to share them with {org.name}: "
            f"never what partners write.\n\nAccept: {org_invitation_url(invitation, request)}\n"
        )
        send_quietly([Mail(f"{user.name} invites you to {org.name} on Accord", body, [email])])
    return invitation


def org_invitation_accept(*, token: str, user: User) -> Organisation:
    with partnership_write(users=[user]) as changed:
        invitation = (
            OrgInvitation.objects.select_for_update()
            .filter(token=token, accepted_at__isnull=True, expires_at__gt=now())
            .select_related("organisation")
            .first()
        )
        if invitation is None:
            raise NotFound("This invitation link is unknown, expired or already used.")
        invitee_check(invitation.email, user)
        org = invitation.organisation
        changed.add(orgs=[org])
        OrgMembership.objects.get_or_create(organisation=org, user=user, defaults={"role": invitation.role})
        invitation.accepted_at = now()
        invitation.save(update_fields=["accepted_at"])
    return org


def org_access_set(*, partnership: Partnership, user: User, org_id: int, grant: bool) -> Organisation:
    """The caller grants (or revokes) an organisation access to the partnership's figures.
    It sees them only while every member has granted; one revocation hides them again."""
    org = Organisation.objects.filter(pk=org_id).first()
    if org is None:
        raise ValidationError({"org_id": "No organisation with this number."})
    with partnership_write(partnership, orgs=[org]):
        if grant:
            OrgAccess.objects.get_or_create(partnership=partnership, organisation=org, user=user)
        else:
            OrgAccess.objects.filter(partnership=partnership, organisation=org, user=user).delete()
    return org


def org_access_invitation_create(
    *, org: Organisation, user: User, email: str, request: HttpRequest | None = None
) -> OrgAccessInvitation:
    """A coach (or admin) of `org` asks the partner at `email` to share their partnership's figures.
    Asking again while a request is pending renews it rather than adding another."""
    from accord.accounts.models import User as Account

    if not org.memberships.filter(user=user).exists():
        raise NotFound()
    email = _email(email, "Enter the email address a partner signs in with.", required=True)
    invitees = list(Account.objects.filter(email__iexact=email))
    expires = now() + timedelta(days=settings.ACCORD_INVITATION_DAYS)
    with partnership_write(orgs=[org], users=invitees):
        invitation = OrgAccessInvitation.objects.filter(
            organisation=org, email=email, answered_at__isnull=True, expires_at__gt=now()
        ).first()
        if invitation is None:
            invitation = OrgAccessInvitation.objects.create(
                organisation=org, email=email, invited_by=user, expires_at=expires
            )
        else:
            invitation.invited_by, invitation.expires_at = user, expires
            invitation.save(update_fields=["invited_by", "expires_at"])
    body = (
        f"{user.name} asks you to share your partnership's figures with {org.name} on Accord: health score "
        f"and trend, rhythm, action items kept, open disagreements. Never what you write.\n\n"
        f"Sign in to accept or decline; each partner decides for themselves: {absolute_url(reverse('home'), request)}\n"
    )
    send_quietly([Mail(f"{org.name} asks to see your partnership's figures", body, [email])])
    return invitation


def org_access_invitation_answer(
    *, invitation_id: int, partnership: Partnership, user: User, accept: bool
) -> OrgAccessInvitation:
    """The invited partner answers from `partnership` (one of theirs): accepting grants their consent
    for it, declining closes the request. Either way it is answered once."""
    with partnership_write(partnership, users=[user]) as changed:
        invitation = (
            OrgAccessInvitation.objects.select_for_update()
            .filter(pk=invitation_id, email__iexact=user.email, answered_at__isnull=True, expires_at__gt=now())
            .select_related("organisation")
            .first()
        )
        if invitation is None:
            raise NotFound("This request is unknown, expired or already answered.")
        changed.add(orgs=[invitation.organisation])
        invitation.answered_at, invitation.accepted = now(), accept
        invitation.partnership = partnership if accept else None
        invitation.save(update_fields=["answered_at", "accepted", "partnership"])
        if accept:
            OrgAccess.objects.get_or_create(partnership=partnership, organisation=invitation.organisation, user=user)
    return invitation


def org_template_create(*, org: Organisation, user: User, name: str, dimensions: list[dict[str, str]]) -> OrgTemplate:
    _require_admin(org, user)
    name = clean_line(name, field="name", max_length=120)
    cleaned, keys = [], set()
    for item in dimensions:
        title = clean_line(item.get("title", ""), field="dimensions", max_length=80, required=False)
        if not title:
            continue
        description = (item.get("description") or "").strip()[:600]
        key = slugify(title)[:50] or "dimension"
        while key in keys:
            key += "-2"
        keys.add(key)
        cleaned.append({"key": key, "title": title, "description": description})
    if not cleaned:
        raise ValidationError({"dimensions": "A template needs at least one dimension."})
    with partnership_write(orgs=[org]):
        return OrgTemplate.objects.create(organisation=org, name=name, dimensions=cleaned)


def org_template_adopt(*, partnership: Partnership, template: OrgTemplate) -> None:
    """Use an organisation's template for the next health checks. The partnership's current
    dimensions are retired (kept for history); the template's are added or restored."""
    with partnership_write(partnership):
        existing = {d.key: d for d in template_ensure(partnership=partnership)}
        existing.update({d.key: d for d in partnership.dimensions.all()})
        keep = {item["key"] for item in template.dimensions}
        partnership.dimensions.exclude(key__in=keep).filter(retired_at__isnull=True).update(retired_at=now())
        top = partnership.dimensions.aggregate(m=Max("position"))["m"] or 0
        for offset, item in enumerate(template.dimensions, start=1):
            dimension = existing.get(item["key"])
            if dimension is None:
                Dimension.objects.create(
                    partnership=partnership,
                    key=item["key"],
                    title=item["title"],
                    description=item["description"],
                    position=top + offset,
                )
            else:
                dimension.title, dimension.description = item["title"], item["description"]
                dimension.retired_at, dimension.position = None, top + offset
                dimension.save()
