"""The export endpoint, listed with the insights as it always was (same tag, same operation id)."""

from __future__ import annotations

from ninja import Router

from accord.exchange import selectors
from accord.lib.http import AuthedRequest
from accord.lib.schemas import errors
from accord.partnerships.selectors import partnership_get

router = Router(tags=["Measure: insights"])


@router.get(
    "/partnerships/{pid}/export",
    response={200: dict[str, object], **errors(404)},
    operation_id="accord_insights_api_partnership_export",
)
def partnership_export(request: AuthedRequest, pid: int) -> dict[str, object]:
    """A versioned JSON document of everything you may see in this partnership;
    `accord import FILE` restores it into another Accord."""
    partnership = partnership_get(user=request.user, pid=pid)
    return selectors.partnership_export(partnership=partnership, user=request.user)
