"""Reads for organisations. The portfolio carries figures only: never a word a partner wrote."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.db.models import Count, Exists, F, Func, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.timezone import now

from accord.assessments.defaults import DEFAULT_TITLES
from accord.insights.facts import Facts
from accord.insights.selectors import Nudge, nudge_list
from accord.insights.stored import facts_stored
from accord.lib.errors import NotFound
from accord.orgs.models import OrgAccess, OrgAccessInvitation, Organisation, OrgInvitation, OrgMembership, OrgTemplate
from accord.partnerships.models import RHYTHM, Membership, Partnership

if TYPE_CHECKING:
    from accord.accounts.models import User


def org_list(*, user: User) -> QuerySet[Organisation]:
    return Organisation.objects.filter(memberships__user=user).annotate(people=Count("memberships", distinct=True))


def _shared_versions() -> Coalesce:
    """The sum of the versions of the partnerships that share with the organisation of the outer row
    (one granting member is enough to count): it rises with every change to any of them. Which of
    them share changes only with a grant, which raises the organisation's own version."""
    sharing = OrgAccess.objects.filter(organisation_id=OuterRef(OuterRef("organisation_id"))).values("partnership_id")
    total = (
        Partnership.objects.filter(pk__in=Subquery(sharing)).order_by().annotate(s=Func(F("version"), function="SUM"))
    )
    return Coalesce(Subquery(total.values("s")[:1]), 0)


def org_get(*, user: User, oid: int) -> tuple[Organisation, str]:
    """An organisation the caller belongs to, with their role, and its `pages_version`; anyone else
    gets NotFound. One query."""
    membership = (
        OrgMembership.objects.filter(organisation_id=oid, user=user)
        .select_related("organisation")
        .annotate(shared=_shared_versions())
        .first()
    )
    if membership is None:
        raise NotFound()
    org = membership.organisation
    org.pages_version = f"{org.version}.{membership.shared}"
    return org, membership.role


def org_partnership_list(*, org: Organisation) -> QuerySet[Partnership]:
    """Partnerships every one of whose current members has granted `org` access: one query, however
    many there are (no list of ids goes into the SQL)."""
    granted = OrgAccess.objects.filter(
        organisation=org, partnership_id=OuterRef("partnership_id"), user_id=OuterRef("user_id")
    )
    members = Membership.objects.filter(partnership_id=OuterRef("pk"))
    return (
        Partnership.objects.filter(pk__in=Subquery(OrgAccess.objects.filter(organisation=org).values("partnership_id")))
        .filter(Exists(members), ~Exists(members.filter(~Exists(granted))))
        .only("id", "name", "version", "figures_version", "retro_days", "health_check_days", "timezone")
    )


def org_public_titles(*, org: Organisation) -> frozenset[str]:
    """Dimension titles a coach of `org` may read: ours and those of the organisation's templates."""
    titles = {d.get("title", "") for t in org.templates.all() for d in t.dimensions}
    return DEFAULT_TITLES | frozenset(t for t in titles if t)


@dataclass(frozen=True, slots=True)
class PortfolioRow:
    partnership_id: int
    name: str
    health_score: float | None
    health_trend: float | None
    last_retro_on: date | None
    open_tensions: int
    overdue_items: int
    nudges: int
    due: tuple[Nudge, ...]  # named only when read: a page reads the names of the rows it shows

    @property
    def nudge_names(self) -> list[str]:
        """Each nudge named with its figures: "Retro overdue 12 days"."""
        return [n.name for n in self.due]

    @property
    def support_need(self) -> tuple[float, int, int]:
        """Lower first: weak or falling health, many nudges, much overdue."""
        score = self.health_score if self.health_score is not None else 3.0
        trend = self.health_trend or 0.0
        return (round(score + trend, 2), -self.nudges, -self.overdue_items)


SORTS = {
    "support": lambda r: r.support_need,
    "health": lambda r: (r.health_score is None, r.health_score or 0),
    "name": lambda r: r.name.lower(),
    "nudges": lambda r: -r.nudges,
    "overdue": lambda r: -r.overdue_items,
}


def _row(f: Facts, titles: frozenset[str]) -> PortfolioRow:
    due = tuple(nudge_list(f, public_titles=titles))
    return PortfolioRow(
        partnership_id=f.partnership.pk,
        name=f.partnership.name,
        health_score=f.health_score,
        health_trend=f.health_trend,
        last_retro_on=f.last_retro_on,
        open_tensions=f.open_tensions,
        overdue_items=f.overdue_items,
        nudges=len(due),
        due=due,
    )


@dataclass(frozen=True, slots=True)
class _Kept:
    stamp: tuple[object, ...]  # the partnership's figures_version, birth and rhythm the row was made at
    row: PortfolioRow
    since: datetime
    until: datetime  # Facts.stable_until


# Rows this process has worked out, per organisation (the few most recently read) and partnership.
# A row is used again only for the same figures_version, birth and rhythm of its partnership, the
# same titles the organisation may read, and while the clock stays between when it was made and when
# a figure of it would next read otherwise: after a write to one partnership of thousands, a coach's
# portfolio works out that one row, not every row. Never stale: what it is keyed on is read anew.
KEPT: dict[int, tuple[frozenset[str], dict[int, _Kept]]] = {}
KEPT_ORGS = 8
FEW = 500  # so many rows to work out or fewer are read by id; more, with the organisation's whole scope


def portfolio_get(*, org: Organisation, sort: str = "support") -> list[PortfolioRow]:
    """The figures of every partnership that lets `org` see them, in a fixed number of queries: their
    stamps in one, then the stored figures of those whose row this process does not hold yet."""
    scope = Subquery(OrgAccess.objects.filter(organisation=org).values("partnership_id"))
    partnerships = org_partnership_list(org=org)
    titles = org_public_titles(org=org)
    held_titles, held = KEPT.pop(org.pk, (titles, {}))
    if held_titles != titles:
        held = {}
    moment = now()
    kept: dict[int, _Kept] = {}
    missing: list[tuple[int, tuple[object, ...]]] = []
    for pid, *stamp in partnerships.order_by().values_list("id", "figures_version", "created_at", *RHYTHM[1:]):
        entry = held.get(pid)
        if entry is not None and entry.stamp == tuple(stamp) and entry.since <= moment < entry.until:
            kept[pid] = entry
        else:
            missing.append((pid, tuple(stamp)))
    if missing:
        ids = [pid for pid, _ in missing]
        facts = facts_stored(partnerships.filter(pk__in=ids) if len(ids) <= FEW else partnerships, scope)
        for pid, stamp in missing:
            f = facts[pid]
            kept[pid] = _Kept(stamp, _row(f, titles), moment, f.stable_until)
    KEPT[org.pk] = (titles, kept)  # only partnerships that still share: the rest are forgotten
    while len(KEPT) > KEPT_ORGS:
        del KEPT[next(iter(KEPT))]
    return sorted((k.row for k in kept.values()), key=SORTS.get(sort, SORTS["support"]))


@dataclass(frozen=True)
class AccessView:
    organisation: Organisation
    granted_by: list[int]
    visible: bool


def org_access_list(*, partnership: Partnership) -> list[AccessView]:
    """Organisations any member granted access to, who granted, and whether it is in effect."""
    members = {m.user_id for m in partnership.memberships.all()}
    grants: dict[int, tuple[Organisation, list[int]]] = {}
    for grant in partnership.org_grants.select_related("organisation").order_by("granted_at"):
        grants.setdefault(grant.organisation_id, (grant.organisation, []))[1].append(grant.user_id)
    return [AccessView(org, users, members <= set(users)) for org, users in grants.values()]


def org_access_invitations_for(*, user: User) -> QuerySet[OrgAccessInvitation]:
    """Organisations asking the caller to share their partnership's figures, not answered yet."""
    return OrgAccessInvitation.objects.filter(
        email__iexact=user.email, answered_at__isnull=True, expires_at__gt=now()
    ).select_related("organisation", "invited_by")


def org_access_choices(*, user: User, partnership: Partnership) -> list[Organisation]:
    """The organisations the caller may grant access to from a list: those they belong to and those
    asking them, less those already listed for this partnership (granted by a member)."""
    listed = OrgAccess.objects.filter(partnership=partnership).values("organisation_id")
    return list(
        Organisation.objects.filter(
            Q(memberships__user=user)
            | Q(
                access_invitations__email__iexact=user.email,
                access_invitations__answered_at__isnull=True,
                access_invitations__expires_at__gt=now(),
            )
        )
        .exclude(pk__in=listed)
        .distinct()
    )


def org_member_list(*, org: Organisation) -> QuerySet[OrgMembership]:
    return org.memberships.select_related("user").order_by("role", "joined_at")


def org_template_list(*, org: Organisation) -> QuerySet[OrgTemplate]:
    return org.templates.all()


def org_template_list_for(*, partnership: Partnership) -> list[OrgTemplate]:
    """Templates of the organisations that can see this partnership."""
    orgs = [a.organisation for a in org_access_list(partnership=partnership) if a.visible]
    return list(OrgTemplate.objects.filter(organisation__in=orgs).select_related("organisation"))


def org_invitation_pending(*, token: str) -> OrgInvitation:
    invitation = (
        OrgInvitation.objects.filter(token=token, accepted_at__isnull=True, expires_at__gt=now())
        .select_related("organisation", "invited_by")
        .first()
    )
    if invitation is None:
        raise NotFound("This invitation link is unknown, expired or already used.")
    return invitation


def org_get_by_id(*, oid: int) -> Organisation | None:
    return Organisation.objects.filter(pk=oid).first()
