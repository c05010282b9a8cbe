"""Every channel agrees with the visibility layer, whoever joins or leaves.

A Hypothesis state machine joins and removes members (2 to 4), writes sides, cards, health-check
answers and journal entries (private or shared), reveals and shares. After every step, for every
member, the texts of others reachable through the API, the pages, the export and the insights
(themes), the quarterly review, the CSV and the emails they were sent are exactly what
`visible_to` gives them; and a text written by someone who left before
its reveal is reachable by nobody, ever."""

from __future__ import annotations

import contextlib
import itertools

import pytest
from django.core import mail
from django.test import Client
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from accord.accounts.services import api_token_create
from accord.assessments.models import Rating, Response
from accord.assessments.services import RatingInput, healthcheck_close, healthcheck_open, healthcheck_respond
from accord.conftest import join, make_user
from accord.lib.errors import Conflict
from accord.partnerships.services import membership_leave, partnership_create
from accord.rituals.models import Card
from accord.rituals.services import card_add, meeting_create, meeting_reveal
from accord.tensions.models import JournalEntry, Perspective
from accord.tensions.services import journal_update, journal_write, perspective_write, tension_raise

pytestmark = pytest.mark.django_db
ROLES = ["EM", "PM", "Design", "Other"]
counter = itertools.count()


def token(kind: str) -> str:
    return f"TXT{next(counter):05d}{kind}Z"


class BlindEverywhere(RuleBasedStateMachine):
    @initialize()
    def start(self) -> None:
        n = next(counter)
        self.people = [make_user(f"p{n}-{i}@example.org", f"Person {i}") for i in range(4)]
        self.partnership = partnership_create(user=self.people[0], name=f"Trio {n}", role="EM")
        join(self.partnership, self.people[0], self.people[1], "PM")
        self.members = [self.people[0], self.people[1]]
        self.tension = tension_raise(partnership=self.partnership, user=self.people[0], topic=token("topic"))
        self.retro = meeting_create(
            partnership=self.partnership, user=self.people[0], kind="retro", scheduled_for=self.people[0].date_joined
        )
        self.check = healthcheck_open(partnership=self.partnership, user=self.people[0], at=self.people[0].date_joined)
        self.written: dict[str, int] = {}  # text -> author id
        self.never: set[str] = set()  # written by someone who left before its reveal
        self.clients: dict[int, tuple[Client, Client]] = {}
        self.left: set[int] = set()

    # --- membership ----------------------------------------------------------------------------

    @precondition(lambda self: len(self.members) < 4 and len(self.members) + len(self.left) < 4)
    @rule(data=st.data())
    def someone_joins(self, data: st.DataObject) -> None:
        # Someone who left does not come back here: what their return would reveal is not settled.
        outsiders = [p for p in self.people if p not in self.members and p.pk not in self.left]
        person = data.draw(st.sampled_from(outsiders))
        join(self.partnership, self.members[0], person, ROLES[len(self.members)])
        self.members.append(person)

    @precondition(lambda self: len(self.members) > 2)
    @rule(data=st.data())
    def someone_leaves(self, data: st.DataObject) -> None:
        person = data.draw(st.sampled_from(self.members[1:]))
        membership_leave(partnership=self.partnership, user=person)
        self.members.remove(person)
        self.left.add(person.pk)
        self.tension.refresh_from_db()
        self.retro.refresh_from_db()
        self.check.refresh_from_db()
        unrevealed = {
            Perspective: self.tension.revealed_at is None,
            Card: self.retro.revealed_at is None,
            Rating: self.check.is_open,
        }
        for model, hidden in unrevealed.items():
            if hidden:
                self.never |= {
                    t for t, author in self.written.items() if author == person.pk and t in self._texts(model)
                }

    # --- writing -------------------------------------------------------------------------------

    def _member(self, data: st.DataObject):
        return data.draw(st.sampled_from(self.members))

    @rule(data=st.data())
    def write_side(self, data: st.DataObject) -> None:
        person, text = self._member(data), token("side")
        self.tension.refresh_from_db()
        perspective_write(tension=self.tension, user=person, important_to_me=text)
        self.written[text] = person.pk

    @precondition(lambda self: self.retro.revealed_at is None)
    @rule(data=st.data())
    def write_card(self, data: st.DataObject) -> None:
        person, text = self._member(data), token("card")
        card_add(meeting=self.retro, user=person, column="frustrating", text=text)
        self.written[text] = person.pk

    @rule()
    def reveal_the_retro(self) -> None:
        self.retro = meeting_reveal(meeting=self.retro)

    @precondition(lambda self: self.check.is_open)
    @rule(data=st.data())
    def answer_the_check(self, data: st.DataObject) -> None:
        person, text = self._member(data), token("note")
        keys = [d.key for d in self.check.dimensions.all()]
        ratings = [RatingInput(k, 3, 4, note=text if i == 0 else "") for i, k in enumerate(keys)]
        healthcheck_respond(check=self.check, user=person, ratings=ratings)
        self.written[text] = person.pk
        self.check.refresh_from_db()

    @precondition(lambda self: self.check.is_open)
    @rule(data=st.data())
    def close_the_check(self, data: st.DataObject) -> None:
        with contextlib.suppress(Conflict):  # nobody has submitted yet
            self.check = healthcheck_close(check=self.check, user=self._member(data))

    @rule(data=st.data(), shared=st.booleans())
    def write_in_the_journal(self, data: st.DataObject, shared: bool) -> None:
        person, text = self._member(data), token("journal")
        journal_write(
            partnership=self.partnership, user=person, text=text, visibility="shared" if shared else "private"
        )
        self.written[text] = person.pk

    @rule(data=st.data())
    def share_an_entry(self, data: st.DataObject) -> None:
        person = self._member(data)
        entry = JournalEntry.objects.filter(author=person, partnership=self.partnership, visibility="private").first()
        if entry is not None:
            journal_update(entry=entry, user=person, visibility="shared")

    # --- what each member can reach --------------------------------------------------------------

    def _texts(self, model: type) -> set[str]:
        if model is Perspective:
            return set(Perspective.objects.filter(tension=self.tension).values_list("important_to_me", flat=True))
        if model is Card:
            return set(Card.objects.filter(meeting=self.retro).values_list("text", flat=True))
        return set(Rating.objects.filter(response__check_run=self.check).values_list("note", flat=True))

    def _visible(self, user) -> set[str]:
        texts = set(Perspective.objects.visible_to(user).values_list("important_to_me", flat=True))
        texts |= set(Card.objects.visible_to(user).values_list("text", flat=True))
        texts |= set(
            Rating.objects.filter(response__in=Response.objects.visible_to(user)).values_list("note", flat=True)
        )
        texts |= set(JournalEntry.objects.visible_to(user).values_list("text", flat=True))
        return {t for t in texts if self.written.get(t) not in (None, user.pk)}

    def _reachable(self, user) -> str:
        if user.pk not in self.clients:
            api = Client(headers={"Authorization": f"Bearer {api_token_create(user=user, name='property')[1]}"})
            page = Client()
            page.force_login(user)
            self.clients[user.pk] = (api, page)
        api, page = self.clients[user.pk]
        pid, tid, mid, hid = self.partnership.pk, self.tension.pk, self.retro.pk, self.check.pk
        api_paths = [f"partnerships/{pid}/{p}" for p in ("export", "insights", "journal")]
        api_paths += [f"tensions/{tid}", f"meetings/{mid}", f"health-checks/{hid}"]
        page_paths = [f"tensions/{tid}/", f"iterate/meetings/{mid}/", f"assess/{hid}/", "journal/", "review/"]
        parts = [api.get(f"/api/v1/{path}").content for path in api_paths]
        parts += [page.get(f"/p/{pid}/{path}").content for path in [*page_paths, "health.csv"]]
        emails = [f"{m.subject}\n{m.body}".encode() for m in mail.outbox if user.email in m.to]
        return "\n".join(part.decode() for part in parts + emails)

    @invariant()
    def every_channel_shows_exactly_the_visible_set(self) -> None:
        if not hasattr(self, "members"):
            return
        for member in self.members:
            blob = self._reachable(member)
            reachable = {t for t, author in self.written.items() if author != member.pk and t in blob}
            visible = self._visible(member)
            assert reachable == visible, (member.name, sorted(reachable ^ visible))
            assert not (reachable & self.never), sorted(reachable & self.never)
        assert not (self.never & self._visible_to_anyone())

    def _visible_to_anyone(self) -> set[str]:
        seen: set[str] = set()
        for person in self.people:
            if person in self.members:
                seen |= self._visible(person)
        return seen


BlindEverywhere.TestCase.settings = settings(
    max_examples=6, stateful_step_count=10, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True
)


@pytest.mark.django_db
def test_every_channel_agrees_with_the_visibility_layer() -> None:
    BlindEverywhere.TestCase().runTest()
