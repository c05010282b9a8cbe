"""Versions that say when cached pages went stale.

A partnership's `version` rises after every committed change to anything in it, a user's after
changes to what their pages show around the partnership (their name, their partnerships), an
organisation's after changes to it or to a partnership that shares with it. Page caches key on
these versions (accord.lib.pagecache), so a change is never served stale and nothing has to be
invalidated by hand.

Every save and delete is caught by model signals; writes that bypass signals (`QuerySet.update`,
`bulk_create`) call `bump` themselves. A test checks that every model is classified here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core.exceptions import ObjectDoesNotExist
from django.db import models, transaction
from django.db.models import F, Q
from django.db.models.signals import m2m_changed, post_delete, post_save

# Models whose rows never change what a cached page shows.
EXEMPT = {"accounts.ApiToken", "accounts.AuthFailure", "rituals.ReminderSent"}
# Saves of a user touching only these fields change nothing a page shows.
QUIET_USER_FIELDS = frozenset({"last_login", "password"})


@dataclass
class Targets:
    partnerships: set[int] = field(default_factory=set)
    users: set[int] = field(default_factory=set)
    orgs: set[int] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.partnerships or self.users or self.orgs)


def bump(
    *, partnerships: Iterable[int | None] = (), users: Iterable[int | None] = (), orgs: Iterable[int | None] = ()
) -> None:
    """Raise the versions with the current transaction, so that no reader ever sees a new version
    next to old data."""
    targets = Targets(
        {p for p in partnerships if p is not None}, {u for u in users if u is not None}, {o for o in orgs if o}
    )
    if not targets:
        return
    connection = transaction.get_connection()
    if (
        connection.in_atomic_block
        and connection.vendor != "sqlite"
        and not getattr(connection.atomic_blocks[0], "_from_testcase", False)
    ):
        # PostgreSQL: after the commit, so the partnership's row is not held locked (and cannot
        # deadlock) for the rest of the transaction. A reader between the commit and the bump
        # caches new data under the old version, which nobody asks for once it is bumped.
        transaction.on_commit(lambda: _apply(targets))
    else:
        # Autocommit; SQLite, whose transactions hold the whole database's write lock anyway, so
        # the bump commits atomically with the change; or a test's wrapping transaction, which
        # stands for autocommit and never commits (Django exempts it from durability checks alike).
        _apply(targets)


def _apply(targets: Targets) -> None:
    from accord.accounts.models import User
    from accord.orgs.models import Organisation
    from accord.partnerships.models import Partnership

    if targets.partnerships:
        Partnership.objects.filter(pk__in=targets.partnerships).update(version=F("version") + 1)
        Organisation.objects.filter(grants__partnership__in=targets.partnerships).update(version=F("version") + 1)
    if targets.users:
        User.objects.filter(pk__in=targets.users).update(version=F("version") + 1)
    if targets.orgs:
        Organisation.objects.filter(pk__in=targets.orgs).update(version=F("version") + 1)


Resolver = Callable[[Any, dict[str, Any]], Targets]


def _path_to_partnership(model: type[models.Model], seen: frozenset[type[models.Model]] = frozenset()) -> list[str]:
    """The foreign keys leading from `model` to its partnership, shortest first: ['meeting', 'partnership_id']."""
    from accord.accounts.models import User
    from accord.orgs.models import Organisation
    from accord.partnerships.models import Partnership

    best: list[str] = []
    for f in model._meta.concrete_fields:
        target = f.related_model
        if not (f.many_to_one or f.one_to_one) or target in (User, Organisation, model) or target in seen:
            continue
        if target is Partnership:
            return [f.attname]
        assert isinstance(target, type)
        rest = _path_to_partnership(target, seen | {model})
        if rest and (not best or len(rest) + 1 < len(best)):
            best = [f.name, *rest]
    return best


def _walk(instance: Any, path: list[str]) -> int | None:
    obj = instance
    try:
        for name in path:
            obj = getattr(obj, name)
            if obj is None:
                return None
    except ObjectDoesNotExist:
        return None  # a parent already deleted: its own signal bumped the partnership
    return int(obj)


def _partnership_members(pid: int) -> set[int]:
    from accord.partnerships.models import Membership

    return set(Membership.objects.filter(partnership_id=pid).values_list("user_id", flat=True))


def _user_partnerships(uid: int) -> set[int]:
    from accord.partnerships.models import Membership

    return set(Membership.objects.filter(user_id=uid).values_list("partnership_id", flat=True))


def _resolvers() -> dict[type[models.Model], Resolver]:
    def on_path(path: list[str]) -> Resolver:
        return lambda instance, _: Targets(partnerships={p} if (p := _walk(instance, path)) else set())

    def user(instance: Any, kwargs: dict[str, Any]) -> Targets:
        fields = kwargs.get("update_fields")
        if fields is not None and set(fields) <= QUIET_USER_FIELDS:
            return Targets()
        return Targets(partnerships=_user_partnerships(instance.pk), users={instance.pk})

    def journal_entry(instance: Any, kwargs: dict[str, Any]) -> Targets:
        # Written or deleted while private, an entry shows on its author's pages alone.
        private = instance.visibility == "private" and instance.brought_to_id is None
        if private and (kwargs.get("created") or kwargs.get("signal") is post_delete):
            return Targets(users={instance.author_id})
        return Targets(partnerships={instance.partnership_id}, users={instance.author_id})

    special: dict[str, Resolver] = {
        "tensions.JournalEntry": journal_entry,
        "accounts.User": user,
        "partnerships.Partnership": lambda i, _: Targets({i.pk}, _partnership_members(i.pk)),
        "partnerships.Membership": lambda i, _: Targets({i.partnership_id}, {i.user_id}),
        "orgs.Organisation": lambda i, _: Targets(orgs={i.pk}),
        "orgs.OrgMembership": lambda i, _: Targets(users={i.user_id}, orgs={i.organisation_id}),
        "orgs.OrgInvitation": lambda i, _: Targets(orgs={i.organisation_id}),
        "orgs.OrgTemplate": lambda i, _: Targets(orgs={i.organisation_id}),
        "orgs.OrgAccess": lambda i, _: Targets({i.partnership_id}, orgs={i.organisation_id}),
    }
    resolvers: dict[type[models.Model], Resolver] = {}
    for model in apps.get_models():
        label = model._meta.label
        if not model.__module__.startswith("accord.") or label in EXEMPT:
            continue
        if label in special:
            resolvers[model] = special[label]
        elif path := _path_to_partnership(model):
            resolvers[model] = on_path(path)
    return resolvers


RESOLVERS: dict[type[models.Model], Resolver] = {}


def _is_partnership(origin: object) -> bool:
    model: Any = origin.model if isinstance(origin, models.QuerySet) else type(origin)
    meta = getattr(model, "_meta", None)
    return meta is not None and meta.label == "partnerships.Partnership"


def _changed(sender: type[models.Model], instance: Any, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    origin = kwargs.get("origin")
    if origin is not None and _is_partnership(origin) and not isinstance(instance, type(origin)):
        return  # a cascade from deleting a whole partnership: that delete bumps what is left
    resolver = RESOLVERS.get(sender)
    if resolver is not None:
        targets = resolver(instance, kwargs)
        bump(partnerships=targets.partnerships, users=targets.users, orgs=targets.orgs)


def _m2m_changed(sender: type[models.Model], instance: Any, action: str, **kwargs: Any) -> None:
    if action.startswith("post_"):
        _changed(type(instance), instance)


def connect() -> None:
    """Called once from CoreConfig.ready()."""
    RESOLVERS.update(_resolvers())
    for model in RESOLVERS:
        post_save.connect(_changed, sender=model, dispatch_uid=f"freshness-save-{model._meta.label}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"freshness-delete-{model._meta.label}")
        for m2m in model._meta.many_to_many:
            through = m2m.remote_field.through
            assert through is not None
            m2m_changed.connect(_m2m_changed, sender=through, dispatch_uid=f"freshness-m2m-{through._meta.label}")


type Ref = models.Model | int | None


@dataclass
class Changed:
    """What one transaction changed, by the versions it must raise."""

    partnerships: set[int] = field(default_factory=set)
    users: set[int] = field(default_factory=set)
    orgs: set[int] = field(default_factory=set)

    def add(self, *, partnerships: Iterable[Ref] = (), users: Iterable[Ref] = (), orgs: Iterable[Ref] = ()) -> None:
        self.partnerships |= _ids(partnerships)
        self.users |= _ids(users)
        self.orgs |= _ids(orgs)

    def __bool__(self) -> bool:
        return bool(self.partnerships or self.users or self.orgs)


def _ids(refs: Iterable[Ref]) -> set[int]:
    return {int(r.pk if isinstance(r, models.Model) else r) for r in refs if r is not None}


@contextmanager
def partnership_write(*partnerships: Ref, users: Iterable[Ref] = (), orgs: Iterable[Ref] = ()) -> Iterator[Changed]:
    """A unit of work: a transaction after whose commit the versions of `partnerships` (and of the
    organisations they share with), `users` and `orgs` rise once. What the body learns it changed
    can be added to the `Changed` it is given."""
    connection = transaction.get_connection()
    with transaction.atomic():
        owner = _outermost(connection.atomic_blocks)
        changed: Changed | None = getattr(owner, "_accord_changed", None)
        first = changed is None
        if changed is None:
            changed = Changed()
            owner._accord_changed = changed
        changed.add(partnerships=partnerships, users=users, orgs=orgs)
        yield changed
    if first:
        if all(getattr(b, "_from_testcase", False) for b in connection.atomic_blocks):
            # Committed; or inside a test's wrapping transaction, which stands for autocommit and
            # never commits (Django exempts it from durability checks alike).
            _raise(changed)
        else:
            transaction.on_commit(lambda: _raise(changed))


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
        partnership.objects.filter(pk__in=changed.partnerships).update(version=F("version") + 1)
    if changed.users:
        user.objects.filter(pk__in=changed.users).update(version=F("version") + 1)
    if changed.orgs or changed.partnerships:
        sharing = Q(pk__in=changed.orgs) | Q(grants__partnership__in=changed.partnerships)
        organisation.objects.filter(sharing).update(version=F("version") + 1)
