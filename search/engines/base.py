"""What every engine answers, whatever it is built on."""

from dataclasses import dataclass


class SearchUnavailable(Exception):
    """The engine cannot answer now (for example Elasticsearch is down). The service then
    answers from the database engine with a notice."""


class DocumentsRefused(Exception):
    """The engine answered but would not take these documents (a mapping error, say): a fault
    in those documents, not the engine being away. `page_ids` are the refused ones; the others
    were taken."""

    def __init__(self, page_ids, reason: str):
        super().__init__(reason)
        self.page_ids = set(page_ids)


@dataclass
class EngineHit:
    page_id: int
    score: float | None = None


@dataclass
class EngineResult:
    total: int
    hits: list[EngineHit]
    # facet key -> {value: count}; each facet counted with every *other* facet's filter applied
    facet_counts: dict[str, dict[str, int]]
    engine: str = ""


class SearchEngine:
    name = ""

    def search(self, query, clauses) -> EngineResult:
        """Run `query` (a search.query.SearchQuery) whose text is already parsed into
        `clauses` (see SearchQuery.clauses)."""
        raise NotImplementedError
