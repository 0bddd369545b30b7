"""What every app builds on: no models of the domain, only the site's own bookkeeping."""

from django.db import models


class PublicContentChange(models.Model):
    """One row per change a visitor could see, written in the changing transaction
    (core.freshness). Caches of what visitors see, in any process, are valid for the state
    these rows describe; a few hundred recent rows are kept."""

    # Random, so a rolled-back change can never be mistaken for a later one with its id.
    token = models.CharField(max_length=32)

    class Meta:
        db_table = "core_publiccontentchange"

    def __str__(self):
        return self.token
