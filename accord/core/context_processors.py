from __future__ import annotations

from django.http import HttpRequest
from django.utils.timezone import localdate

from accord.core.sections import SECTIONS
from accord.partnerships.selectors import partnership_choices


def navigation(request: HttpRequest) -> dict[str, object]:
    """The partnership switcher and section links in the page header, and `today`: in the
    partnership's time zone on its pages (accord.partnerships.middleware sets it)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"nav_partnerships": partnership_choices(user=user), "nav_sections": SECTIONS, "today": localdate()}
