from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accord.accounts.models import User
from accord.assessments.models import HealthCheck
from accord.assessments.services import healthcheck_summarise
from accord.conftest import login
from accord.orgs.models import Organisation
from accord.orgs.selectors import portfolio_get
from accord.partnerships.models import Partnership
from accord.rituals.models import Card, Meeting

pytestmark = pytest.mark.django_db


def test_seed_writes_realistic_history_for_every_partnership(client, capsys):
    call_command("seed", partnerships=3, years=1, password="seed-pass-123", verbosity=0)
    assert "Seeded 3 partnership(s)" in capsys.readouterr().out
    assert Partnership.objects.count() == 3
    em = User.objects.get(email="em2@seed.example")
    assert em.check_password("seed-pass-123")
    p = Partnership.objects.get(memberships__user=em)
    assert p.meetings.filter(kind="one_on_one").count() >= 52
    retros = p.meetings.filter(kind="retro", status="held")
    assert 10 <= retros.count() <= 13
    assert Card.objects.filter(meeting=retros.first()).count() == 20
    assert p.health_checks.count() == 4 and all(c.score for c in p.health_checks.all())
    assert p.charter_revisions.filter(status="ratified").count() == 1
    org = Organisation.objects.get(name="Seed Org")
    assert len(portfolio_get(org=org)) == 3
    login(client, em)
    for path in (f"/p/{p.pk}/", f"/p/{p.pk}/assess/", f"/p/{p.pk}/iterate/", f"/p/{p.pk}/align/", f"/p/{p.pk}/design/"):
        assert client.get(path).status_code == 200, path
    retro = Meeting.objects.filter(partnership=p, kind="retro", status="held").first()
    assert client.get(f"/p/{p.pk}/iterate/meetings/{retro.pk}/").status_code == 200


def test_seed_refuses_a_database_that_already_has_seed_data():
    call_command("seed", partnerships=1, years=1, password="seed-pass-123", verbosity=0)
    with pytest.raises(CommandError, match="already holds seed data"):
        call_command("seed", partnerships=1, years=1, password="seed-pass-123", verbosity=0)


def test_it_stores_the_figures_a_reveal_would_store():
    call_command("seed", partnerships=1, years=1, password="seed-pass-123", verbosity=0)
    checks = list(HealthCheck.objects.order_by("pk"))
    stored = [(c.score, c.summary) for c in checks]
    for check in checks:
        healthcheck_summarise(check)
    assert stored == [(c.score, c.summary) for c in checks]
    assert all(score and len(summary) == 8 for score, summary in stored)
