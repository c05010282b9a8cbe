from __future__ import annotations

from django.contrib import messages
from django.forms import BaseForm
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accord.alignment.selectors import decision_choices
from accord.lib.errors import NotFound
from accord.lib.http import AuthedRequest
from accord.lib.live import live_response
from accord.lib.views import Failure, partnership_page, valid
from accord.partnerships.models import Partnership
from accord.tensions import selectors, services
from accord.tensions.forms import (
    AmendmentForm,
    JournalEditForm,
    JournalForm,
    PerspectiveForm,
    ResolveForm,
    TensionForm,
)
from accord.tensions.models import JournalEntry, Tension


def _list_page(
    request: AuthedRequest, partnership: Partnership, failure: Failure | None = None, form: TensionForm | None = None
) -> HttpResponse:
    status = request.GET.get("status") or None
    tag = request.GET.get("tag") or None
    tensions = selectors.tension_list(partnership=partnership, user=request.user, status=status, tag=tag)
    return render(
        request,
        "tensions/list.html",
        {
            "partnership": partnership,
            "section": "tensions",
            "views": [selectors.tension_view(tension=t, user=request.user) for t in tensions],
            "form": failure.form if failure else form,
            "status": status,
            "tag": tag,
            "all_tags": selectors.tension_tags(partnership=partnership),
        },
    )


@partnership_page(invalid=_list_page)
def tension_list(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    """The disagreement log: raise one, filter by status or tag, see how long each stayed open."""
    choices = selectors.tension_tag_choices(partnership=partnership)
    if request.method != "POST":
        return _list_page(request, partnership, form=TensionForm(charter_tags=choices))
    form = TensionForm(request.POST, charter_tags=choices)
    data = valid(request, form)
    tension = services.tension_raise(partnership=partnership, user=request.user, topic=data["topic"], tags=form.tags())
    messages.success(request, "Logged. Write your side: your partner will not see it until they have written theirs.")
    return redirect("tensions-detail", pid=partnership.pk, tid=tension.pk)


def _decision_choices(partnership: Partnership) -> list[tuple[int, str]]:
    return [(d.pk, d.title) for d in decision_choices(partnership=partnership)]


def _detail(request: AuthedRequest, partnership: Partnership, tension: Tension, **extra: object) -> dict[str, object]:
    view = selectors.tension_view(tension=tension, user=request.user)
    mine = view.mine
    context: dict[str, object] = {
        "partnership": partnership,
        "section": "tensions",
        "view": view,
        "tension": tension,
        "perspective_form": PerspectiveForm(
            initial={
                "important_to_me": mine.important_to_me if mine else "",
                "why": mine.why if mine else "",
                "partner_priority_guess": mine.partner_priority_guess if mine else "",
            }
        ),
        "resolve_form": ResolveForm(decisions=_decision_choices(partnership)),
        "amendment_form": AmendmentForm(),
        "names": {m.user_id: m.user.get_short_name() for m in view.members},
    }
    context.update(extra)
    return context


def _detail_page(request: AuthedRequest, partnership: Partnership, failure: Failure | None, tid: int) -> HttpResponse:
    """A tension; after a refused side or resolution, that form as it was typed, errors beside it."""
    tension = selectors.tension_get(user=request.user, tid=tid, pid=partnership.pk)
    extra: dict[str, object] = {}
    if failure is not None and failure.form is not None:
        names: dict[type[BaseForm], str] = {
            PerspectiveForm: "perspective_form",
            AmendmentForm: "amendment_form",
            ResolveForm: "resolve_form",
        }
        extra[names[type(failure.form)]] = failure.form
    elif failure is not None:
        messages.error(request, failure.message)
    context = _detail(request, partnership, tension, **extra)
    if failure is not None and "resolve_form" in extra and not context["view"].revealed:  # type: ignore[attr-defined]
        messages.error(request, failure.message)  # the form is not on the page until the sides are revealed
    return render(request, "tensions/detail.html", context)


@partnership_page()
def tension_detail(request: AuthedRequest, partnership: Partnership, tid: int) -> HttpResponse:
    return _detail_page(request, partnership, None, tid)


@partnership_page(cache=True)
def tension_live(request: AuthedRequest, partnership: Partnership, tid: int) -> HttpResponse:
    """The disagreement's live region (accord.lib.live): the sides, hidden or shown, and the resolution."""

    def region() -> HttpResponse:
        tension = selectors.tension_get(user=request.user, tid=tid, pid=partnership.pk)
        return render(request, "tensions/_live.html", _detail(request, partnership, tension))

    return live_response(request, partnership, region)


@partnership_page(invalid=_detail_page)
@require_POST
def perspective_write(request: AuthedRequest, partnership: Partnership, tid: int) -> HttpResponse:
    tension = selectors.tension_get(user=request.user, tid=tid, pid=partnership.pk)
    services.perspective_write(tension=tension, user=request.user, **valid(request, PerspectiveForm(request.POST)))
    messages.success(request, "Your side is saved.")
    return redirect("tensions-detail", pid=partnership.pk, tid=tid)


@partnership_page(invalid=_detail_page)
@require_POST
def tension_resolve(request: AuthedRequest, partnership: Partnership, tid: int) -> HttpResponse:
    tension = selectors.tension_get(user=request.user, tid=tid, pid=partnership.pk)
    form = ResolveForm(request.POST, decisions=_decision_choices(partnership))
    tension = services.tension_resolve(tension=tension, user=request.user, **valid(request, form))
    messages.success(request, _resolution_said(tension))
    return redirect("tensions-detail", pid=partnership.pk, tid=tid)


def _resolution_said(tension: Tension) -> str:
    if tension.status == Tension.Status.RESOLVED:
        return "Resolved. It stays in your log with both sides."
    return "You agree to this resolution. It holds once your partner agrees too."


@partnership_page(back="tensions-detail")
@require_POST
def tension_resolution_agree(request: AuthedRequest, partnership: Partnership, tid: int) -> HttpResponse:
    tension = selectors.tension_get(user=request.user, tid=tid, pid=partnership.pk)
    tension = services.tension_resolution_agree(tension=tension, user=request.user)
    messages.success(request, _resolution_said(tension))
    return redirect("tensions-detail", pid=partnership.pk, tid=tid)


@partnership_page(invalid=_detail_page)
@require_POST
def perspective_amend(request: AuthedRequest, partnership: Partnership, tid: int) -> HttpResponse:
    tension = selectors.tension_get(user=request.user, tid=tid, pid=partnership.pk)
    services.perspective_amend(tension=tension, user=request.user, **valid(request, AmendmentForm(request.POST)))
    messages.success(request, "Amendment added below your side.")
    return redirect("tensions-detail", pid=partnership.pk, tid=tid)


@partnership_page(back="tensions-detail")
@require_POST
def tension_reveal(request: AuthedRequest, partnership: Partnership, tid: int) -> HttpResponse:
    tension = selectors.tension_get(user=request.user, tid=tid, pid=partnership.pk)
    services.tension_reveal(tension=tension, user=request.user)
    messages.success(request, "Every side is in: here they are.")
    return redirect("tensions-detail", pid=partnership.pk, tid=tid)


@partnership_page(back="tensions-detail")
@require_POST
def guess_rate(request: AuthedRequest, partnership: Partnership, tid: int) -> HttpResponse:
    """Say whether a partner read your priority right."""
    tension = selectors.tension_get(user=request.user, tid=tid, pid=partnership.pk)
    of_user = request.POST.get("of_user_id", "")
    services.guess_rate(
        tension=tension,
        user=request.user,
        of_user_id=int(of_user) if of_user.isdigit() else 0,
        rating=request.POST.get("rating", ""),
    )
    return redirect("tensions-detail", pid=partnership.pk, tid=tid)


def _journal_page(
    request: AuthedRequest,
    partnership: Partnership,
    failure: Failure | None = None,
    jid: int | None = None,
    form: JournalForm | None = None,
) -> HttpResponse:
    """The journal; after a refused entry (or edit of entry `jid`), that form as it was typed."""
    posted = failure.form if failure else None
    if request.htmx and jid is None:
        return render(request, "tensions/_quick_journal.html", {"partnership": partnership, "quick_form": posted})
    entries = list(selectors.journal_list(partnership=partnership, user=request.user))
    for entry in entries:
        entry.edit_form = (  # type: ignore[attr-defined]
            posted
            if jid == entry.pk and posted is not None
            else JournalEditForm(initial={"text": entry.text}, prefix=f"e{entry.pk}")
        )
    return render(
        request,
        "tensions/journal.html",
        {
            "partnership": partnership,
            "section": "journal",
            "entries": entries,
            "form": posted if posted is not None and jid is None else form or JournalForm(),
        },
    )


@partnership_page(invalid=_journal_page)
def journal(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    """Process commentary: yours (private unless shared) and what your partner shared with you."""
    if request.method != "POST":
        return _journal_page(request, partnership)
    data = valid(request, JournalForm(request.POST))
    services.journal_write(partnership=partnership, user=request.user, **data)
    shared = data["visibility"] == JournalEntry.Visibility.SHARED
    messages.success(request, "Shared with your partner." if shared else "Saved. Only you can see it.")
    if request.htmx:
        return render(request, "tensions/_quick_journal.html", {"partnership": partnership, "saved": True})
    target = request.POST.get("next", "")
    return redirect(target if target.startswith("/p/") else f"/p/{partnership.pk}/journal/")


def _own_entry(request: AuthedRequest, partnership: Partnership, jid: int) -> JournalEntry:
    """An entry of the caller's own: only its author shares, edits, deletes or brings it."""
    entry = selectors.journal_get(user=request.user, jid=jid, pid=partnership.pk)
    if entry.author_id != request.user.pk:
        raise NotFound()
    return entry


def _to_entry(partnership: Partnership, jid: int) -> HttpResponse:
    return redirect(f"/p/{partnership.pk}/journal/#entry-{jid}")


def _journal_visibility(
    request: AuthedRequest, partnership: Partnership, jid: int, visibility: JournalEntry.Visibility
) -> HttpResponse:
    services.journal_update(entry=_own_entry(request, partnership, jid), user=request.user, visibility=visibility)
    shared = visibility == JournalEntry.Visibility.SHARED
    messages.success(request, "Shared with your partner." if shared else "Private again: only you see it.")
    return _to_entry(partnership, jid)


@partnership_page(back="tensions-journal")
@require_POST
def journal_share(request: AuthedRequest, partnership: Partnership, jid: int) -> HttpResponse:
    return _journal_visibility(request, partnership, jid, JournalEntry.Visibility.SHARED)


@partnership_page(back="tensions-journal")
@require_POST
def journal_private(request: AuthedRequest, partnership: Partnership, jid: int) -> HttpResponse:
    return _journal_visibility(request, partnership, jid, JournalEntry.Visibility.PRIVATE)


@partnership_page(invalid=_journal_page)
@require_POST
def journal_edit(request: AuthedRequest, partnership: Partnership, jid: int) -> HttpResponse:
    entry = _own_entry(request, partnership, jid)
    data = valid(request, JournalEditForm(request.POST, prefix=f"e{jid}"))
    services.journal_update(entry=entry, user=request.user, text=data["text"])
    messages.success(request, "Saved.")
    return _to_entry(partnership, jid)


@partnership_page(back="tensions-journal")
@require_POST
def journal_delete(request: AuthedRequest, partnership: Partnership, jid: int) -> HttpResponse:
    services.journal_delete(entry=_own_entry(request, partnership, jid), user=request.user)
    messages.success(request, "Deleted.")
    return redirect("tensions-journal", pid=partnership.pk)


def _journal_bring(request: AuthedRequest, partnership: Partnership, jid: int, to: str) -> HttpResponse:
    meeting = services.journal_bring(entry=_own_entry(request, partnership, jid), user=request.user, to=to)
    where = "the next 1:1's agenda" if to == "one_on_one" else "the next retro, as your card (hidden until the reveal)"
    messages.success(request, f"Added to {where} on {meeting.scheduled_for:%-d %b}.")
    return _to_entry(partnership, jid)


@partnership_page(back="tensions-journal")
@require_POST
def journal_bring_one_on_one(request: AuthedRequest, partnership: Partnership, jid: int) -> HttpResponse:
    return _journal_bring(request, partnership, jid, "one_on_one")


@partnership_page(back="tensions-journal")
@require_POST
def journal_bring_retro(request: AuthedRequest, partnership: Partnership, jid: int) -> HttpResponse:
    return _journal_bring(request, partnership, jid, "retro")
