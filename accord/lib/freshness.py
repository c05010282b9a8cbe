"""Versions that say when cached pages went stale, raised by the unit of work every write runs in.

A partnership's `version` rises after every committed change to anything in it; a user's after a
change to what their own pages show around the partnership (their name, their partnerships, their
private entries); an organisation's after a change to it (its members, templates, grants). An
organisation's pages key on its version and the sum of the versions of the partnerships that share
with it, so a change to one of those moves them too. Page caches key on these versions
(accord.lib.pagecache), so a change is never served stale and nothing is invalidated by hand.

Every service that writes does so inside `partnership_write(...)`, naming what it changes:

    with partnership_write(meeting.partnership_id):
        Card.objects.filter(meeting=meeting).update(group=None)

The unit of work is a transaction. Units opened inside one another, or inside a caller's
`transaction.atomic()`, add what they name to the outermost transaction's set, and each version in
that set rises once, after the commit: never on a rollback, and never before the data it stands for
can be read (a reader between the commit and the raise caches the new data under the old version,
which nobody asks for once it has risen). It is the one place where `.update()`, `bulk_create` and
bulk deletes are allowed, since they name no instance anything could follow.

Rows carrying a version (partnership, user, organisation) are saved with `update_fields`: a whole
save of a row loaded before a raise would write the old number back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import models, transaction
from django.db.models import Case, F, When

type Ref = models.Model | int | None


@dataclass
class Changed:
    """What one transaction changed, by the versions it must raise."""

    partnerships: set[int] = field(default_factory=set)
    users: set[int] = field(default_factory=set)
    orgs: set[int] = field(default_factory=set)
    figures: set[int] = field(default_factory=set)  # partnerships whose stored figures may have changed

    def add(
        self,
        *,
        partnerships: Iterable[Ref] = (),
        users: Iterable[Ref] = (),
        orgs: Iterable[Ref] = (),
        figures: bool = True,
    ) -> None:
        ids = _ids(partnerships)
        self.partnerships |= ids
        if figures:
            self.figures |= ids
        self.users |= _ids(users)
        self.orgs |= _ids(orgs)

    def __bool__(self) -> bool:
        return bool(self.partnerships or self.users or self.orgs)


def _ids(refs: Iterable[Ref]) -> set[int]:
    return {int(r.pk if isinstance(r, models.Model) else r) for r in refs if r is not None}


@contextmanager
def partnership_write(
    *partnerships: Ref, users: Iterable[Ref] = (), orgs: Iterable[Ref] = (), figures: bool = True
) -> Iterator[Changed]:
    """A unit of work: a transaction after whose commit the versions of `partnerships`, `users` and
    `orgs` rise once. What the body learns it changed can be added to the `Changed` it is given.
    `figures=False` says the write changes nothing the stored figures are made of (no count, date or
    score of accord.insights: a card's or a journal entry's text), so they stay valid across it; any
    other unit in the same transaction that does not say so moves them as usual."""
    connection = transaction.get_connection()
    with transaction.atomic():
        owner = _outermost(connection.atomic_blocks)
        changed: Changed | None = getattr(owner, "_accord_changed", None)
        first = changed is None
        if changed is None:
            changed = Changed()
            owner._accord_changed, owner._accord_after = changed, []
        changed.add(partnerships=partnerships, users=users, orgs=orgs, figures=figures)
        yield changed
    if first:
        # Read at the commit: what later units in the same transaction add is raised and run too.
        after: list[Callable[[], object]] = owner._accord_after
        _when_committed(lambda: _finish(changed, after))


def _finish(changed: Changed, after: list[Callable[[], object]]) -> None:
    _raise(changed)
    for then in after:
        then()


def after_commit(then: Callable[[], object]) -> None:
    """Run `then` once the current transaction commits, after the versions its units of work raise
    (so a task it queues reads the new data under the new version); at once outside a transaction.
    Inside a unit of work that is rolled back, it never runs (inside a savepoint rolled back while
    its transaction goes on, it still does: what is queued must be safe to run anyway)."""
    blocks = transaction.get_connection().atomic_blocks
    owner = next((b for b in blocks if not getattr(b, "_from_testcase", False)), None)
    after: list[Callable[[], object]] | None = getattr(owner, "_accord_after", None)
    if after is not None:
        after.append(then)
    else:
        _when_committed(then)


def _when_committed(then: Callable[[], object]) -> None:
    """`then` on commit: at once when no transaction is open, or only a test's wrapping transaction,
    which stands for autocommit and never commits (Django exempts it from durability checks alike)."""
    connection = transaction.get_connection()
    if all(getattr(b, "_from_testcase", False) for b in connection.atomic_blocks):
        then()
    else:
        transaction.on_commit(then)


# What else must follow a committed change (derived figures, recurring themes), each given what
# changed once its versions have risen: registered by the apps that keep such things, in ready().
# A hook runs after the commit, in the writer's request: it queues a task (accord.lib.tasks), no more.
AFTER_CHANGE: list[Callable[[Changed], None]] = []


def after_change(hook: Callable[[Changed], None]) -> Callable[[Changed], None]:
    """Register `hook` to run after every committed unit of work that changed something."""
    if hook not in AFTER_CHANGE:
        AFTER_CHANGE.append(hook)
    return hook


def _outermost(blocks: list[Any]) -> Any:
    """The transaction this unit belongs to: the outermost block a test did not open."""
    return next(b for b in blocks if not getattr(b, "_from_testcase", False))


def _raise(changed: Changed) -> None:
    if not changed:
        return
    partnership = apps.get_model("partnerships", "Partnership")
    organisation = apps.get_model("orgs", "Organisation")
    user = apps.get_model("accounts", "User")
    # Each statement raises for itself and a raise is never undone, so they need no transaction.
    if changed.partnerships:
        raised: dict[str, Any] = {"version": F("version") + 1}
        if changed.figures == changed.partnerships:
            raised["figures_version"] = F("figures_version") + 1
        elif changed.figures:  # still one statement
            moved = When(pk__in=changed.figures, then=F("figures_version") + 1)
            raised["figures_version"] = Case(moved, default=F("figures_version"))
        partnership.objects.filter(pk__in=changed.partnerships).update(**raised)
    if changed.users:
        user.objects.filter(pk__in=changed.users).update(version=F("version") + 1)
    # A partnership's change moves the organisations it shares with without a statement of its own:
    # their pages key on the sum of those partnerships' versions too (accord.orgs.selectors.org_get).
    if changed.orgs:
        organisation.objects.filter(pk__in=changed.orgs).update(version=F("version") + 1)
    for hook in AFTER_CHANGE:
        hook(changed)
