"""`accord backup` and `accord restore`: what comes back is exactly what was there."""

import pytest
from django.core.management import CommandError, call_command

from accord.accounts.models import User
from accord.demo.seed import seed
from accord.exchange.selectors import partnership_export
from accord.partnerships.models import Partnership


def snapshot() -> list[dict[str, object]]:
    documents = []
    for partnership in Partnership.objects.order_by("pk"):
        member = User.objects.filter(memberships__partnership=partnership).order_by("pk").first()
        assert member is not None
        document = partnership_export(partnership=partnership, user=member)
        document.pop("exported_at")
        documents.append(document)
    return documents


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_every_partnership_as_it_was(tmp_path):
    seed(partnerships=2, years=1, password="pw-123456789")
    before = snapshot()
    path = tmp_path / "accord.backup"
    call_command("backup", str(path), verbosity=0)
    assert path.stat().st_size > 0

    Partnership.objects.all().delete()  # the disaster
    User.objects.filter(email="em1@seed.example").update(name="Changed")
    assert snapshot() == []

    call_command("restore", str(path), yes=True, verbosity=0)
    assert snapshot() == before
    assert User.objects.get(email="em1@seed.example").name != "Changed"


@pytest.mark.django_db
def test_restoring_a_missing_or_damaged_file_changes_nothing(tmp_path, partnership):
    with pytest.raises(CommandError, match="No backup"):
        call_command("restore", str(tmp_path / "missing"), yes=True, verbosity=0)
    damaged = tmp_path / "damaged"
    damaged.write_bytes(b"SQLite format 3\x00" + b"\x00" * 4000)
    with pytest.raises(CommandError):
        call_command("restore", str(damaged), yes=True, verbosity=0)
    assert Partnership.objects.filter(pk=partnership.pk).exists()
