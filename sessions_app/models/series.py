"""Each client's series of ratings on one instrument, summed up: how many, the first, the latest
two, whether the latest raised an alliance alert, and the outcome class of first against
latest (sessions_app.scoring.classify_outcome; an instrument's scoring does not change once it
is created). Derived from the ratings and kept by the
one function that computes it (sessions_app.services.measures.measure_series_refresh, called by
rating_record), so that the caseload, the board and the client page read one row per client and
instrument instead of every rating the client ever gave."""

from django.db import models


class MeasureSeries(models.Model):
    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="+")
    instrument = models.ForeignKey(
        "sessions_app.Instrument", on_delete=models.CASCADE, related_name="+"
    )
    count = models.PositiveIntegerField()
    first_total = models.DecimalField(max_digits=7, decimal_places=2)
    latest_total = models.DecimalField(max_digits=7, decimal_places=2)
    previous_total = models.DecimalField(max_digits=7, decimal_places=2, null=True)
    latest_on = models.DateField()
    latest_alerted = models.BooleanField(default=False)
    # An Outcome value, so that pages counting clients ask the database which are off track.
    outcome = models.CharField(max_length=16, default="not_enough_data")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client", "instrument"], name="one_series_per_measure")
        ]

    def __str__(self) -> str:
        return f"{self.instrument_id} of client {self.client_id}: {self.count} ratings"
