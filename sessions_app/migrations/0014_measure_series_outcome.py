from django.db import migrations, models

from sessions_app.scoring import classify_outcome


def classify_series(apps, schema_editor):
    """Each existing series' outcome, by the rule rating_record now stores it with."""
    Instrument = apps.get_model("sessions_app", "Instrument")
    MeasureSeries = apps.get_model("sessions_app", "MeasureSeries")
    for instrument in Instrument.objects.all():
        series = MeasureSeries.objects.filter(instrument=instrument).only(
            "pk", "count", "first_total", "latest_total"
        )
        by_outcome: dict[str, list[int]] = {}
        for row in series.iterator(chunk_size=5000):
            outcome = classify_outcome(instrument, row.first_total, row.latest_total, row.count)
            by_outcome.setdefault(outcome.value, []).append(row.pk)
        for outcome, pks in by_outcome.items():
            for start in range(0, len(pks), 1000):
                MeasureSeries.objects.filter(pk__in=pks[start : start + 1000]).update(
                    outcome=outcome
                )


class Migration(migrations.Migration):

    dependencies = [
        ("sessions_app", "0013_booster_sessions_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="measureseries",
            name="outcome",
            field=models.CharField(default="not_enough_data", max_length=16),
        ),
        migrations.RunPython(classify_series, migrations.RunPython.noop),
    ]
