"""An import trusts the file for what people wrote, never for what Accord computes from it."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from django.core.management import call_command

from accord.accounts.models import User
from accord.assessments.models import HealthCheck
from accord.assessments.services import RatingInput, healthcheck_open, healthcheck_respond
from accord.demo.loader import demo_load
from accord.exchange.selectors import partnership_export
from accord.exchange.services import document_import
from accord.lib.errors import ValidationError
from accord.partnerships.models import Partnership

pytestmark = pytest.mark.django_db


def exported_then_wiped() -> dict[str, Any]:
    partnership, _ = demo_load()
    document = partnership_export(partnership=partnership, user=User.objects.get(email="alice@example.com"))
    Partnership.objects.all().delete()
    return document


def test_it_recomputes_a_forged_score_and_summary():
    document = exported_then_wiped()
    honest = copy.deepcopy(document["health_checks"])
    forged = document["health_checks"][0]
    assert forged["status"] == "revealed" and forged["score"] is not None
    forged["score"] = 5.0
    forged["summary"] = {key: {**figures, "today_mean": 5.0} for key, figures in forged["summary"].items()}
    partnership = document_import(document=document)
    checks = list(HealthCheck.objects.filter(partnership=partnership).order_by("number"))
    assert [(c.score, c.summary) for c in checks] == [(c["score"], c["summary"]) for c in honest]


def test_it_imports_as_one_unit_of_work_that_raises_the_version_once(database_queue):
    """(The background refresh it queues raises the version again once it stores new themes: the
    queue here holds it, as a worker would until it takes it.)"""
    document = exported_then_wiped()
    partnership = document_import(document=document)
    partnership.refresh_from_db()
    assert partnership.version == 1
    assert all(u.version >= 1 for u in User.objects.filter(memberships__partnership=partnership))


def test_it_gives_an_open_check_no_figures_whatever_the_file_says(partnership, alice, bob):
    check = healthcheck_open(partnership=partnership, user=alice)
    ratings = [RatingInput(dimension=d.key, today=3, target=4) for d in check.dimensions.all()]
    healthcheck_respond(check=check, user=alice, ratings=ratings)
    document = partnership_export(partnership=partnership, user=alice)
    document["health_checks"][0] |= {"score": 4.5, "summary": {"x": {"title": "Forged", "today_mean": 4.5}}}
    Partnership.objects.all().delete()
    imported = HealthCheck.objects.get(partnership=document_import(document=document))
    assert (imported.status, imported.score, imported.summary) == ("open", None, {})


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda d: d.update(meetings="many"), "meetings"),
        (lambda d: d["decisions"][0].pop("title"), "decisions[0]"),
        (lambda d: d["journal"][0].update(author="u99"), "journal[0].author"),
        (lambda d: d["objectives"][0].update(starts_on="soon"), "document"),
        (lambda d: d["journal"][0].update(author=None), "document"),
        (lambda d: d["health_checks"][0]["responses"][0]["ratings"][0].update(dimension="x"), "health_checks"),
    ],
)
def test_it_refuses_a_malformed_file_and_writes_nothing(change, where):
    document = exported_then_wiped()
    change(document)
    users = User.objects.count()
    with pytest.raises(ValidationError) as caught:
        document_import(document=document)
    assert where in caught.value.message_dict
    assert (Partnership.objects.count(), User.objects.count()) == (0, users)


def test_the_cli_says_what_is_wrong_with_a_file(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{"format": "accord-partnership", "version": 1, "partnership": {}}')
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match=r"Not a valid Accord export.*name and cadences"):
        call_command("import", str(path))


def test_an_old_file_with_every_side_of_an_open_tension_imports_it_revealed(partnership, alice, bob):
    """Files from before tensions kept a reveal time held a partner's side only once it was shown."""
    from accord.tensions.models import Tension
    from accord.tensions.services import perspective_write, tension_raise

    tension = tension_raise(partnership=partnership, user=alice, topic="Scope")
    for user in (alice, bob):
        perspective_write(tension=tension, user=user, important_to_me=f"What {user.name} needs")
    document = partnership_export(partnership=partnership, user=alice)
    Partnership.objects.all().delete()
    (old,) = document["tensions"]
    assert old["status"] == "open" and len(old["perspectives"]) == 2
    del old["revealed_at"]
    imported = Tension.objects.get(partnership=document_import(document=document))
    assert imported.revealed_at is not None
