"""/zoeken/?format=json, described once (pydantic models): `outcome_as_json` writes exactly
these fields in this order. The facets are the same in the API's /zoeken, whose OpenAPI
document is generated from FacetRecord (opendata/records.py)."""

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

Count = Annotated[int, Field(ge=0)]


class Record(BaseModel):
    """A public record: exactly the fields its model names (opendata's records build on it)."""

    model_config = ConfigDict(extra="forbid")


class FacetValueRecord(Record):
    value: str
    label: str
    count: Count
    selected: bool


class FacetRecord(Record):
    param: str
    label: str
    values: list[FacetValueRecord]


class QueryRecord(Record):
    q: str
    filters: dict[str, list[str]]  # URL parameter -> the values chosen
    sort: str
    page: int
    page_size: int


class ResultRecord(Record):
    id: int  # the page's id
    type: str
    title: str
    url: str
    summary: str
    snippet: str  # HTML
    date: str | None  # ISO 8601
    registration_number: str | None
    municipalities: list[str]  # names, as the result card shows them
    neighbourhoods: list[str]
    themes: list[str]
    status: str | None  # the slug (as in the filter), with its words in status_label
    status_label: str | None
    recognition_level: str | None  # the level's name
    knowledge_centre: str | None
    results_expected: bool


class SearchRecord(Record):
    query: QueryRecord
    total: Count
    pages: int
    engine: str
    notices: list[str]
    suggestion: str  # a spelling to search instead, or ""
    next: str | None
    previous: str | None
    results: list[ResultRecord]
    facets: list[FacetRecord]


def as_json(model: type[Record], data) -> dict:
    """`data` as `model` describes it: its fields, in its order."""
    return model.model_validate(data).model_dump(mode="json")
