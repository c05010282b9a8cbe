from datetime import date
from typing import Literal

from django.http import HttpResponse
from ninja import Query, Router, Schema, Status
from pydantic import Field

from accord.lib.http import AuthedRequest
from accord.lib.pagecache import cached_json
from accord.lib.schemas import Id, Page, errors
from accord.orgs import selectors, services
from accord.partnerships.selectors import partnership_get

router = Router(tags=["Measure: organisations and coaches"])


class OrgOut(Schema):
    id: int
    name: str
    role: Literal["admin", "coach"]


class OrgIn(Schema):
    name: str = Field(max_length=120)


class OrgInvitationIn(Schema):
    email: str | None = Field(default=None, max_length=254)
    role: Literal["coach", "admin"]


class OrgInvitationOut(Schema):
    token: str
    url: str
    role: str
    email: str


class AccessIn(Schema):
    org_id: Id
    grant: bool


class AccessOut(Schema):
    org_id: int
    org_name: str
    granted: bool
    granted_by: list[int]
    visible: bool


class PortfolioRowOut(Schema):
    partnership_id: int
    name: str
    health_score: float | None
    health_trend: float | None
    last_retro_on: date | None
    open_tensions: int
    overdue_items: int
    nudges: int
    nudge_names: list[str]  # each nudge named with its figures: "Retro overdue 12 days"


@router.post("/orgs", response={201: OrgOut, **errors()})
def org_create(request: AuthedRequest, payload: OrgIn) -> Status[dict[str, object]]:
    """An organisation; its creator is its first admin."""
    org = services.org_create(user=request.user, name=payload.name)
    return Status(201, {"id": org.pk, "name": org.name, "role": "admin"})


@router.get("/orgs", response={200: list[OrgOut], **errors()})
def org_list(request: AuthedRequest) -> list[dict[str, object]]:
    out = []
    for org in selectors.org_list(user=request.user):
        _, role = selectors.org_get(user=request.user, oid=org.pk)
        out.append({"id": org.pk, "name": org.name, "role": role})
    return out


@router.post("/orgs/{oid}/invitations", response={201: OrgInvitationOut, **errors(403, 404)})
def org_invitation_create(request: AuthedRequest, oid: int, payload: OrgInvitationIn) -> Status[dict[str, object]]:
    """Invite a coach or an admin (admins only: a coach gets 403, anyone else 404)."""
    org, _ = selectors.org_get(user=request.user, oid=oid)
    invitation = services.org_invitation_create(
        org=org, user=request.user, role=payload.role, email=payload.email or "", request=request
    )
    return Status(
        201,
        {
            "token": invitation.token,
            "url": services.org_invitation_url(invitation, request),
            "role": invitation.role,
            "email": invitation.email,
        },
    )


@router.post("/org-invitations/{token}/accept", response={200: OrgOut, **errors(404, 409)})
def org_invitation_accept(request: AuthedRequest, token: str) -> dict[str, object]:
    org = services.org_invitation_accept(token=token, user=request.user)
    _, role = selectors.org_get(user=request.user, oid=org.pk)
    return {"id": org.pk, "name": org.name, "role": role}


@router.post("/partnerships/{pid}/org-access", response={200: AccessOut, **errors(404)})
def org_access(request: AuthedRequest, pid: int, payload: AccessIn) -> dict[str, object]:
    """Grant or revoke an organisation's access to this partnership's figures. It is `visible` to
    the organisation once every member has granted, and stops being visible when anyone revokes."""
    partnership = partnership_get(user=request.user, pid=pid)
    org = services.org_access_set(
        partnership=partnership, user=request.user, org_id=payload.org_id, grant=payload.grant
    )
    view = next((a for a in selectors.org_access_list(partnership=partnership) if a.organisation.pk == org.pk), None)
    granted_by = view.granted_by if view else []
    return {
        "org_id": org.pk,
        "org_name": org.name,
        "granted": request.user.pk in granted_by,
        "granted_by": granted_by,
        "visible": bool(view and view.visible),
    }


@router.get("/orgs/{oid}/portfolio", response={200: list[PortfolioRowOut], **errors(404)})
def org_portfolio(
    request: AuthedRequest,
    oid: int,
    page: Query[Page],
    sort: Literal["support", "health", "name", "nudges", "overdue"] = "support",
) -> HttpResponse:
    """Figures of every partnership that shares them with the organisation, most in need of support
    first (sorted over them all, then paged): no text written by partners, ever."""
    org, _ = selectors.org_get(user=request.user, oid=oid)
    return cached_json(
        f"o{org.pk}",
        org.pages_version,
        org.created_at,
        f"portfolio:{sort}:{page.limit}:{page.offset}",
        list[PortfolioRowOut],
        lambda: page.of(selectors.portfolio_get(org=org, sort=sort)),  # read as attributes: names of this page only
    )
