"""What the public search stores in the database.

SearchDocument is the database engine's index: one row per published, public content page,
made by `search.documents.build_documents`. It is kept up to date even when Elasticsearch
serves the searches, so the site can fall back to it. Its full-text part lives in a
vendor-specific table `search_fulltext` (FTS5 on SQLite, tsvector + GIN on PostgreSQL) created
by migration 0002.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel


class SearchDocument(models.Model):
    page_id = models.IntegerField(primary_key=True)
    content_type = models.CharField(max_length=20, db_index=True)
    title = models.CharField(max_length=255)
    sort_date = models.DateField(null=True, db_index=True)
    published_at = models.DateTimeField(null=True, db_index=True)  # first publication
    # The whole document as built (facet slugs and labels, texts, url, dates); cards and the
    # Elasticsearch sync read it from here.
    data = models.JSONField()
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "search_document"

    def __str__(self):
        return self.title


class SearchIndexState(models.Model):
    """A token that changes with every write to the database index, in the same transaction:
    a process compares it with the token of its cached facet bitmaps to know they are stale.
    Random rather than a counter, so a rolled-back change can never be mistaken for a later one."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    version = models.CharField(max_length=32)

    class Meta:
        db_table = "search_indexstate"

    def __str__(self):
        return self.version


class SearchIndexChange(models.Model):
    """The log of which documents each write to the database index changed, written in the
    same transaction as the write (search.engines.database._changed), right after the token
    in SearchIndexState: that row's lock orders the writers, so the ids here follow the order
    in which the writes were committed. A process that holds the facet bitmaps of an earlier
    state reads the entries after the last one it applied and patches only those documents.

    `page_id` NULL means "everything may have changed" (the index was emptied, or one write
    changed more documents than are worth patching). `version` is the token that write set:
    a process checks that the entry it applied last is still there with the same token (it
    is not after a rollback or a pruning of the log), else it reads its bitmaps afresh.
    Whatever writes the index's tables other than through search.engines.database (a data
    migration that empties them, say) must add a NULL entry too."""

    page_id = models.IntegerField(null=True)
    version = models.CharField(max_length=32)

    class Meta:
        db_table = "search_indexchange"

    def __str__(self):
        return f"{self.version}: {self.page_id if self.page_id is not None else 'all'}"


class SearchFacetValue(models.Model):
    """One (facet, value) of one document: the rows every facet count is grouped from."""

    document = models.ForeignKey(
        SearchDocument, on_delete=models.CASCADE, related_name="facet_values"
    )
    facet = models.CharField(max_length=20)
    value = models.CharField(max_length=100)

    class Meta:
        db_table = "search_facetvalue"
        indexes = [
            models.Index(fields=["facet", "value", "document"], name="search_facet_value_doc"),
            models.Index(fields=["document", "facet", "value"], name="search_doc_facet_value"),
        ]

    def __str__(self):
        return f"{self.facet}={self.value}"


class SearchTerm(models.Model):
    """How many documents carry each term (a word's lemma or a compound part, as search.text
    makes them): the vocabulary spelling suggestions are chosen from, on both engines. Kept
    with the database index, in the same transactions."""

    term = models.CharField(max_length=100, primary_key=True)
    documents = models.PositiveIntegerField()

    class Meta:
        db_table = "search_term"

    def __str__(self):
        return self.term


class Synonym(models.Model):
    """One group of words that mean the same to a searcher (gezinscoach, gezinsmanager).

    Both engines use it alike: the query is expanded with it in Python (search.thesaurus)
    before either engine sees it, so an edit counts at once, without rebuilding an index.
    """

    terms = models.TextField(
        _("terms"),
        help_text=_(
            "Words or phrases that mean the same, separated by commas, "
            "for example: gezinscoach, gezinsmanager"
        ),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    panels = [FieldPanel("terms"), FieldPanel("note")]

    class Meta:
        verbose_name = _("synonym group")
        verbose_name_plural = _("thesaurus")
        ordering = ["terms"]

    def __str__(self):
        return ", ".join(self.term_list())

    def term_list(self) -> list[str]:
        return [t.strip() for t in self.terms.replace("\n", ",").split(",") if t.strip()]


class IndexQueueEntry(models.Model):
    """The index's outbox: a change one of the indexes still has to take.

    A `database` entry is written in the same transaction as the change that needs it (a
    publish, an unpublish, a move, a renamed wijk), so a change and its intent to reindex are
    committed together or not at all. Right after the commit the database index is rebuilt
    for those pages and the entry becomes an `elasticsearch` entry (when Elasticsearch is
    configured), which the index worker (`search_index process_queue --loop`) sends; an entry
    whose application failed stays until the worker has done it. See search/indexing.py."""

    class Action(models.TextChoices):
        # An update also removes: a page that is no longer public has no document to send.
        UPDATE = "update", _("update")
        REBUILD = "rebuild", _("rebuild")

    class Target(models.TextChoices):
        DATABASE = "database", _("database index")
        ELASTICSEARCH = "elasticsearch", _("Elasticsearch")

    page_id = models.IntegerField(null=True)
    action = models.CharField(max_length=10, choices=Action.choices)
    target = models.CharField(max_length=15, choices=Target.choices, default=Target.DATABASE)
    created_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveIntegerField(default=0)
    # Failures that were this entry's own (its document could not be built or was refused),
    # not the index being away; at indexing.MAX_REFUSALS it is set aside until `sync`.
    refusals = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        db_table = "search_indexqueue"
        ordering = ["id"]
        indexes = [models.Index(fields=["target", "id"], name="search_queue_target")]

    def __str__(self):
        return f"{self.action} page {self.page_id} → {self.target}"
