"""The table Django made for Decision.objectives becomes a model of its own (same table, same
columns), so that its rows can be removed by the database along with a decision or objective."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("alignment", "0001_initial")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="DecisionObjective",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("decision", models.ForeignKey(on_delete=models.CASCADE, to="alignment.decision")),
                        ("objective", models.ForeignKey(on_delete=models.CASCADE, to="alignment.objective")),
                    ],
                    options={
                        "db_table": "alignment_decision_objectives",
                        "unique_together": {("decision", "objective")},
                    },
                ),
                migrations.AlterField(
                    model_name="decision",
                    name="objectives",
                    field=models.ManyToManyField(
                        blank=True, related_name="decisions", through="alignment.DecisionObjective", to="alignment.objective"
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
