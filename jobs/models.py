"""What the worker remembers of each job, so that a restart neither runs a job twice nor
forgets one that fell due while no worker ran."""

from django.db import models


class JobRun(models.Model):
    """One row per job (jobs/schedule.py), made the first time a worker sees it.

    A worker claims a due job by setting `claimed_by`/`claimed_at` with one conditional UPDATE
    (jobs/worker.py); when the job ends, the claim becomes the last run. A claim older than
    JOB_CLAIM_TIMEOUT is abandoned (its worker died) and free again."""

    class Outcome(models.TextChoices):
        OK = "ok"
        FAILED = "failed"

    name = models.CharField(max_length=50, unique=True)
    # When a worker first saw this job: a daily job first runs at its first time after this.
    known_since = models.DateTimeField()
    claimed_by = models.CharField(max_length=200, blank=True)  # "host:pid" of the worker
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_started_at = models.DateTimeField(null=True, blank=True)
    last_finished_at = models.DateTimeField(null=True, blank=True)
    last_outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)
    last_message = models.CharField(max_length=500, blank=True)  # one line

    def __str__(self):
        return self.name
