from typing import Literal

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema, Status
from pydantic import Field

from accord.lib.http import AuthedRequest
from accord.lib.pagecache import cached_read
from accord.lib.schemas import errors
from accord.partnerships import selectors, services
from accord.partnerships.models import Partnership

router = Router(tags=["Partnerships"])

RoleName = Literal["EM", "PM", "Design", "Other"]


class MemberOut(Schema):
    user_id: int
    name: str
    role: str


class Cadences(Schema):
    one_on_one_days: int
    retro_days: int
    health_check_days: int


class CadencesPatch(Schema):
    one_on_one_days: int | None = Field(default=None, ge=1, le=365)
    retro_days: int | None = Field(default=None, ge=1, le=365)
    health_check_days: int | None = Field(default=None, ge=1, le=365)


class PartnershipOut(Schema):
    id: int
    name: str
    team: str
    timezone: str
    members: list[MemberOut]
    cadences: Cadences
    team_page_published: bool
    team_page_url: str | None


class PartnershipIn(Schema):
    name: str = Field(max_length=120)
    team: str = Field(default="", max_length=120)
    role: RoleName


class PartnershipPatch(Schema):
    name: str | None = Field(default=None, max_length=120)
    team: str | None = Field(default=None, max_length=120)
    timezone: str | None = Field(default=None, max_length=64)
    cadences: CadencesPatch | None = None
    team_page_published: bool | None = None


class InvitationIn(Schema):
    email: str | None = Field(default=None, max_length=254)
    role: RoleName


class InvitationOut(Schema):
    token: str
    url: str
    email: str
    role: str
    expires_at: str


class LeaveIn(Schema):
    confirm_delete: bool = False


class LeaveOut(Schema):
    partnership_deleted: bool


def partnership_out(partnership: Partnership, request: HttpRequest) -> dict[str, object]:
    return {
        "id": partnership.pk,
        "name": partnership.name,
        "team": partnership.team,
        "timezone": partnership.timezone,
        "members": [{"user_id": m.user_id, "name": m.user.name, "role": m.role} for m in partnership.memberships.all()],
        "cadences": {field: getattr(partnership, field) for field in services.CADENCE_FIELDS},
        "team_page_published": partnership.team_page_published,
        "team_page_url": services.team_page_url(partnership, request),
    }


@router.post("/partnerships", response={201: PartnershipOut, **errors()})
def partnership_create(request: AuthedRequest, payload: PartnershipIn) -> Status[dict[str, object]]:
    """Start a partnership; the caller is its first member, in the role given."""
    created = services.partnership_create(user=request.user, name=payload.name, team=payload.team, role=payload.role)
    return Status(201, partnership_out(selectors.partnership_get(user=request.user, pid=created.pk), request))


@router.get("/partnerships", response={200: list[PartnershipOut], **errors()})
def partnership_list(request: AuthedRequest) -> list[dict[str, object]]:
    """The caller's partnerships."""
    return [partnership_out(p, request) for p in selectors.partnership_list(user=request.user)]


@router.get("/partnerships/{pid}", response={200: PartnershipOut, **errors(404)})
def partnership_detail(request: AuthedRequest, pid: int) -> HttpResponse:
    stamp = selectors.partnership_stamp(user=request.user, pid=pid)
    return cached_read(
        request,
        pid,
        stamp,
        PartnershipOut,
        lambda: partnership_out(selectors.partnership_get(user=request.user, pid=pid), request),
    )


@router.patch("/partnerships/{pid}", response={200: PartnershipOut, **errors(404)})
def partnership_update(request: AuthedRequest, pid: int, payload: PartnershipPatch) -> dict[str, object]:
    """Change settings. Any member may; publishing the team page answers its secret `team_page_url`."""
    partnership = selectors.partnership_get(user=request.user, pid=pid)
    cadences = payload.cadences.model_dump(exclude_none=True) if payload.cadences else None
    services.partnership_update(
        partnership=partnership,
        name=payload.name,
        team=payload.team,
        timezone_name=payload.timezone,
        cadences=cadences,
        team_page_published=payload.team_page_published,
    )
    return partnership_out(partnership, request)


@router.post("/partnerships/{pid}/invitations", response={201: InvitationOut, **errors(404, 409)})
def invitation_create(request: AuthedRequest, pid: int, payload: InvitationIn) -> Status[dict[str, object]]:
    """A single-use invitation link (emailed too when `email` is given)."""
    partnership = selectors.partnership_get(user=request.user, pid=pid)
    invitation = services.invitation_create(
        partnership=partnership, invited_by=request.user, role=payload.role, email=payload.email or "", request=request
    )
    return Status(
        201,
        {
            "token": invitation.token,
            "url": services.invitation_url(invitation, request),
            "email": invitation.email,
            "role": invitation.role,
            "expires_at": invitation.expires_at.isoformat(),
        },
    )


@router.post("/invitations/{token}/accept", response={200: PartnershipOut, **errors(404, 409)})
def invitation_accept(request: AuthedRequest, token: str) -> dict[str, object]:
    """Join the partnership; unknown, expired or used invitations answer 404."""
    partnership = services.invitation_accept(token=token, user=request.user)
    return partnership_out(selectors.partnership_get(user=request.user, pid=partnership.pk), request)


@router.post("/partnerships/{pid}/leave", response={200: LeaveOut, **errors(404, 409)})
def partnership_leave(request: AuthedRequest, pid: int, payload: LeaveIn) -> dict[str, bool]:
    """Leave. The last member gets 409 unless `confirm_delete` is true, which deletes the partnership."""
    partnership = selectors.partnership_get(user=request.user, pid=pid)
    deleted = services.membership_leave(
        partnership=partnership, user=request.user, confirm_delete=payload.confirm_delete
    )
    return {"partnership_deleted": deleted}
