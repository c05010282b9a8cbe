"""Any sequence of propose / ratify / withdraw leaves at most one current revision (exactly one once
anything was ratified), numbers ratified versions 1, 2, 3 … in order, and never loses a proposal's text."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.charters.models import CharterRevision
from accord.charters.services import (
    CharterContent,
    charter_propose,
    charter_revision_ratify,
    charter_revision_withdraw,
)
from accord.conftest import make_user
from accord.lib.errors import Conflict, NotFound, ValidationError
from accord.partnerships.models import Role
from accord.partnerships.services import invitation_accept, invitation_create, partnership_create

RUNS = itertools.count()
actions = st.lists(
    st.tuples(
        st.sampled_from(["propose", "propose_stale", "ratify", "withdraw"]),
        st.integers(min_value=0, max_value=2),  # which member acts
        st.integers(min_value=0, max_value=30),  # which revision (modulo how many exist)
        st.text(min_size=1, max_size=40).filter(lambda t: t.strip() and "\x00" not in t),
    ),
    max_size=25,
)


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=actions, members=st.integers(min_value=2, max_value=3))
def test_the_charter_stays_consistent(steps, members):
    run = next(RUNS)
    users = [make_user(f"p{i}-{run}@example.org", f"Partner {i}") for i in range(members)]
    partnership = partnership_create(user=users[0], name="P", role=Role.EM)
    for user in users[1:]:
        invitation_accept(
            token=invitation_create(partnership=partnership, invited_by=users[0], role=Role.PM).token, user=user
        )
    written: dict[int, str] = {}
    for action, who, which, text in steps:
        user = users[who % members]
        revisions = list(CharterRevision.objects.filter(partnership=partnership).order_by("pk"))
        current = next((r for r in revisions if r.status == "ratified"), None)
        try:
            if action in ("propose", "propose_stale"):
                base = current.number if current else None
                if action == "propose_stale":
                    base = (base or 0) + 1
                revision = charter_propose(
                    rationale="What we learned since",
                    partnership=partnership,
                    user=user,
                    base=base,
                    content=CharterContent(purpose=text),
                )
                written[revision.pk] = text.strip()
            elif revisions and action == "ratify":
                charter_revision_ratify(revision=revisions[which % len(revisions)], user=user)
            elif revisions and action == "withdraw":
                charter_revision_withdraw(revision=revisions[which % len(revisions)], user=user)
        except (Conflict, NotFound):
            pass
        except ValidationError as refused:  # proposing the charter as it stands changes nothing
            if "as it stands" not in str(refused):
                raise

        all_revisions = list(CharterRevision.objects.filter(partnership=partnership))
        current_ones = [r for r in all_revisions if r.status == "ratified"]
        numbered = sorted(r.number for r in all_revisions if r.number is not None)
        assert len(current_ones) == (1 if numbered else 0)
        assert numbered == list(range(1, len(numbered) + 1))
        if current_ones:
            assert current_ones[0].number == numbered[-1]
        assert {r.pk: r.purpose for r in all_revisions} == written
