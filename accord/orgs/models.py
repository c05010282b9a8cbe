"""Organisations, their coaches and admins, the access partnerships grant them, and shared templates."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.timezone import now

from accord.lib.models import Versioned
from accord.partnerships.models import Partnership


class Organisation(Versioned):
    name = models.CharField(max_length=120)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.DB_SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=now)
    # What its cached pages key on, set by accord.orgs.selectors.org_get: its version and those of
    # the partnerships sharing with it.
    pages_version: str

    class Meta:
        ordering = ("name", "id")

    def __str__(self) -> str:
        return self.name


class OrgMembership(models.Model):
    class Role(models.TextChoices):
        ADMIN = "admin", "Admin"
        COACH = "coach", "Coach"

    organisation = models.ForeignKey(Organisation, on_delete=models.DB_CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.DB_CASCADE, related_name="org_memberships")
    role = models.CharField(max_length=8, choices=Role.choices)
    joined_at = models.DateTimeField(default=now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=("organisation", "user"), name="org_membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} ({self.role}) in {self.organisation}"


class OrgInvitation(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.DB_CASCADE, related_name="invitations")
    token = models.CharField(max_length=64, unique=True)
    email = models.EmailField(blank=True)
    role = models.CharField(max_length=8, choices=OrgMembership.Role.choices)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.DB_SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Invitation to {self.organisation} as {self.role}"


class OrgAccess(models.Model):
    """One member's consent for an organisation to see their partnership's figures. The partnership
    is in the portfolio only while every current member has granted it."""

    partnership = models.ForeignKey(Partnership, on_delete=models.DB_CASCADE, related_name="org_grants")
    organisation = models.ForeignKey(Organisation, on_delete=models.DB_CASCADE, related_name="grants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.DB_CASCADE, related_name="+")
    granted_at = models.DateTimeField(default=now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=("partnership", "organisation", "user"), name="org_access_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} grants {self.organisation} access to {self.partnership}"


class OrgTemplate(models.Model):
    """A health-check template an organisation offers to the partnerships it supports."""

    organisation = models.ForeignKey(Organisation, on_delete=models.DB_CASCADE, related_name="templates")
    name = models.CharField(max_length=120)
    dimensions = models.JSONField(default=list)  # [{"key", "title", "description"}]
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ("name", "id")

    def __str__(self) -> str:
        return self.name


class OrgAccessInvitation(models.Model):
    """An organisation asks a partner, by email, to share their partnership's figures with it. The
    partner answers from one of their partnerships: accepting grants their own consent for it (the
    other partners give theirs), declining closes the request. Nothing is shared before that."""

    organisation = models.ForeignKey(Organisation, on_delete=models.DB_CASCADE, related_name="access_invitations")
    email = models.EmailField()
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.DB_SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=now)
    expires_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)
    accepted = models.BooleanField(default=False)
    partnership = models.ForeignKey(
        Partnership, on_delete=models.DB_SET_NULL, null=True, blank=True, related_name="+"
    )  # the partnership it was accepted for

    class Meta:
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"{self.organisation} asks {self.email} to share figures"
