"""Charter proposals numbered per partnership ("Proposal 1" is a partnership's first), in the order
they were made, instead of showing a database id."""

from django.db import migrations, models


def number_the_proposals(apps, schema_editor):
    revision = apps.get_model("charters", "CharterRevision")
    counts: dict[int, int] = {}
    changed = []
    for r in revision.objects.order_by("partnership_id", "created_at", "id").only("id", "partnership_id"):
        counts[r.partnership_id] = counts.get(r.partnership_id, 0) + 1
        r.proposal_number = counts[r.partnership_id]
        changed.append(r)
    revision.objects.bulk_update(changed, ["proposal_number"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("charters", "0002_deletes_in_the_database")]

    operations = [
        migrations.AddField(
            model_name="charterrevision", name="proposal_number", field=models.PositiveIntegerField(null=True)
        ),
        migrations.RunPython(number_the_proposals, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="charterrevision", name="proposal_number", field=models.PositiveIntegerField()
        ),
        migrations.AddConstraint(
            model_name="charterrevision",
            constraint=models.UniqueConstraint(
                fields=("partnership", "proposal_number"), name="charter_proposal_number_unique"
            ),
        ),
    ]
