"""What every engine answers, whatever it is built on."""

from dataclasses import dataclass


class SearchUnavailable(Exception):
    """The engine cannot answer now (for example Elasticsearch is down). The service then
    answers from the database engine with a notice."""


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
