"""One row per piece of follow-on work (render a PDF, send an alert), written in the same
transaction as the change that asks for it. See practice/outbox/__init__.py."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class OutboxState(models.TextChoices):
    PENDING = "pending", _("Waiting or running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class OutboxTaskQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state=OutboxState.PENDING)

    def due(self, now):
        """Open rows whose lease has passed: never sent, lost, or still unfinished."""
        return self.filter(state=OutboxState.PENDING, claimed_until__lte=now)


class OutboxTask(models.Model):
    # The Celery task's name, e.g. "termination.tasks.render_document", and its arguments (ids).
    task = models.CharField(max_length=200)
    args = models.JSONField(default=list, blank=True)
    # The id of the record the work is about, for lookups ("is its render still on its way?").
    object_id = models.BigIntegerField(null=True, blank=True)
    state = models.CharField(
        max_length=10, choices=OutboxState.choices, default=OutboxState.PENDING
    )
    # How many times the row was handed to the broker (the commit, then each sweep).
    attempts = models.PositiveSmallIntegerField(default=0)
    # The sweep leaves the row alone until then: time for the work to finish after a hand-out.
    claimed_until = models.DateTimeField()
    lease_seconds = models.PositiveIntegerField()
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = OutboxTaskQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["claimed_until"],
                condition=Q(state="pending"),
                name="outbox_pending_by_lease",
            ),
            models.Index(fields=["task", "object_id"], name="outbox_by_object"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(state="pending") | Q(finished_at__isnull=False),
                name="outbox_finished_row_has_its_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task}{self.args} ({self.state})"
