from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accord.alignment.selectors import decision_choices
from accord.lib.errors import Conflict, NotFound, ValidationError
from accord.lib.forms import add_errors
from accord.lib.http import AuthedRequest
from accord.partnerships.models import Partnership
from accord.partnerships.views import page_partnership
from accord.tensions import selectors, services
from accord.tensions.forms import JournalForm, PerspectiveForm, ResolveForm, TensionForm
from accord.tensions.models import JournalEntry, Tension


@login_required
def tension_list(request: AuthedRequest, pid: int) -> HttpResponse:
    """The disagreement log: raise one, filter by status or tag, see how long each stayed open."""
    partnership = page_partnership(request, pid)
    choices = selectors.charter_tag_choices(partnership=partnership)
    form = TensionForm(request.POST if request.method == "POST" else None, charter_tags=choices)
    if request.method == "POST" and form.is_valid():
        try:
            tension = services.tension_raise(
                partnership=partnership, user=request.user, topic=form.cleaned_data["topic"], tags=form.tags()
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request, "Logged. Write your side: your partner will not see it until they have written theirs."
            )
            return redirect("tensions-detail", pid=pid, tid=tension.pk)
    status = request.GET.get("status") or None
    tag = request.GET.get("tag") or None
    tensions = selectors.tension_list(partnership=partnership, user=request.user, status=status, tag=tag)
    views = [selectors.tension_view(tension=t, user=request.user) for t in tensions]
    all_tags = selectors.tension_tags(partnership=partnership)
    return render(
        request,
        "tensions/list.html",
        {
            "partnership": partnership,
            "section": "tensions",
            "views": views,
            "form": form,
            "status": status,
            "tag": tag,
            "all_tags": all_tags,
        },
    )


def _decision_choices(partnership: Partnership) -> list[tuple[int, str]]:
    return [(d.pk, d.title) for d in decision_choices(partnership=partnership)]


def _detail(request: AuthedRequest, tension: Tension, **extra: object) -> dict[str, object]:
    view = selectors.tension_view(tension=tension, user=request.user)
    mine = view.mine
    context: dict[str, object] = {
        "partnership": tension.partnership,
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
        "resolve_form": ResolveForm(decisions=_decision_choices(tension.partnership)),
        "names": {m.user_id: m.user.get_short_name() for m in view.members},
    }
    context.update(extra)
    return context


@login_required
def tension_detail(request: AuthedRequest, pid: int, tid: int) -> HttpResponse:
    tension = selectors.tension_get(user=request.user, tid=tid, pid=pid)
    if request.method != "POST":
        return render(request, "tensions/detail.html", _detail(request, tension))
    what = request.POST.get("what", "")
    try:
        if what == "perspective":
            form = PerspectiveForm(request.POST)
            if not form.is_valid():
                return render(request, "tensions/detail.html", _detail(request, tension, perspective_form=form))
            services.perspective_write(tension=tension, user=request.user, **form.cleaned_data)
            messages.success(request, "Your side is saved.")
        elif what == "resolve":
            resolve_form = ResolveForm(request.POST, decisions=_decision_choices(tension.partnership))
            if not resolve_form.is_valid():
                return render(request, "tensions/detail.html", _detail(request, tension, resolve_form=resolve_form))
            services.tension_resolve(tension=tension, user=request.user, **resolve_form.cleaned_data)
            messages.success(request, "Resolved. It stays in your log with both sides.")
        elif what == "reveal":
            services.tension_reveal(tension=tension, user=request.user)
            messages.success(request, "Every side is in: here they are.")
        elif what == "read":
            of_user = request.POST.get("of_user_id", "")
            services.guess_rate(
                tension=tension,
                user=request.user,
                of_user_id=int(of_user) if of_user.isdigit() else 0,
                rating=request.POST.get("rating", ""),
            )
        else:
            raise NotFound()
    except (ValidationError, Conflict) as exc:
        messages.error(request, " ".join(exc.messages) if isinstance(exc, ValidationError) else exc.message)
    return redirect("tensions-detail", pid=pid, tid=tid)


@login_required
def journal(request: AuthedRequest, pid: int) -> HttpResponse:
    """Process commentary: yours (private unless shared) and what your partner shared with you."""
    partnership = page_partnership(request, pid)
    form = JournalForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.journal_write(partnership=partnership, user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                shared = form.cleaned_data["visibility"] == JournalEntry.Visibility.SHARED
                messages.success(request, "Shared with your partner." if shared else "Saved. Only you can see it.")
                if request.htmx:
                    return render(request, "tensions/_quick_journal.html", {"partnership": partnership, "saved": True})
                target = request.POST.get("next", "")
                return redirect(target if target.startswith("/p/") else f"/p/{pid}/journal/")
        if request.htmx:
            return render(
                request, "tensions/_quick_journal.html", {"partnership": partnership, "quick_form": form}, status=422
            )
    entries = list(selectors.journal_visible(partnership=partnership, user=request.user))
    return render(
        request,
        "tensions/journal.html",
        {"partnership": partnership, "section": "journal", "entries": entries, "form": form},
    )


@login_required
@require_POST
def journal_entry(request: AuthedRequest, pid: int, jid: int) -> HttpResponse:
    """The author shares, keeps private, edits, deletes or brings an entry to the next session."""
    entry = selectors.journal_get(user=request.user, jid=jid, pid=pid)
    if entry.author_id != request.user.pk:
        raise NotFound()
    what = request.POST.get("what", "")
    try:
        if what in ("share", "private"):
            visibility = JournalEntry.Visibility.SHARED if what == "share" else JournalEntry.Visibility.PRIVATE
            services.journal_update(entry=entry, user=request.user, visibility=visibility)
            messages.success(
                request, "Shared with your partner." if what == "share" else "Private again: only you see it."
            )
        elif what == "edit":
            services.journal_update(entry=entry, user=request.user, text=request.POST.get("text", ""))
            messages.success(request, "Saved.")
        elif what == "delete":
            services.journal_delete(entry=entry, user=request.user)
            messages.success(request, "Deleted.")
        elif what in ("one_on_one", "retro"):
            meeting = services.journal_bring(entry=entry, user=request.user, to=what)
            where = (
                "the next 1:1's agenda"
                if what == "one_on_one"
                else "the next retro, as your card (hidden until the reveal)"
            )
            messages.success(request, f"Added to {where} on {meeting.scheduled_for:%-d %b}.")
        else:
            raise NotFound()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except Conflict as exc:
        messages.error(request, exc.message)
    return redirect(f"/p/{pid}/journal/#entry-{jid}" if what != "delete" else f"/p/{pid}/journal/")
