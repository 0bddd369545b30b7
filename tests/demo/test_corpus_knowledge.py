"""The knowledge half of the hand-written demo corpus (demo/corpus/knowledge.py) is coherent:
evaluations' kind, method and recognition level fit; dates run from the experiment's start to
the demo date; practices belong to their experiment's gemeente; every knowledge centre has
items in its own field; answered questions are published and anonymised; no sentence is written
twice; every PDF holds its text; loading again changes nothing."""

import datetime as dt
import re
import zlib
from collections import defaultdict

import pytest
from django.db import transaction
from django.utils.html import escape, strip_tags
from django.utils.text import slugify
from wagtail.documents import get_document_model

from demo.corpus import knowledge, load_corpus
from editorial.models import SectionGroup
from kennisbank.models import (
    EvaluationKind,
    EvaluationMethod,
    EvaluationPage,
    ExpertiseKind,
    ExpertisePage,
    PracticePage,
)
from loket.anonymise import NAME_PARTICLES
from loket.models import AnonymisationReviewTask, Question
from loket.routing import DEFAULT_ROUTES
from loket.services import REVIEW_TASK_NAME, review_workflow
from vocabulary.models import KnowledgeCentre, RecognitionLevel

pytestmark = pytest.mark.django_db

DEMO_DATE = dt.date(2012, 3, 1)
YAML_OF = {
    PracticePage: "practices",
    EvaluationPage: "evaluations",
    ExpertisePage: "expertise",
}


@pytest.fixture(scope="module")
def corpus(django_db_setup, django_db_blocker):
    """The corpus loaded once for this module, in a transaction rolled back at its end (if
    the session's demo set holds it already, nothing is added)."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_corpus()
        yield
        transaction.set_rollback(True)


def pages(model):
    titles = [item["title"] for item in knowledge.read(YAML_OF[model])]
    found = list(model.objects.filter(title__in=titles).specific())
    assert len(found) == len(titles)
    return found


def answered_questions():
    titles = [item["title"] for item in knowledge.read("questions")]
    return list(
        ExpertisePage.objects.filter(kind=ExpertiseKind.QUESTION_AND_ANSWER, title__in=titles)
    )


def plain(html: str) -> str:
    return strip_tags(re.sub(r"</p>|<br/?>", " ", html))


def texts_of(page) -> list[str]:
    """Every text a visitor reads on `page`, without markup; the fiction note left out."""
    texts = [page.summary]
    if isinstance(page, PracticePage):
        fields = ("problem", "approach", "results", "success_conditions", "costs")
        texts += [plain(getattr(page, f)) for f in fields]
    elif isinstance(page, EvaluationPage):
        texts.append(plain(page.findings))
    else:
        for block in page.body:
            value = block.value
            texts.append(plain(getattr(value, "source", str(value))))
    document = getattr(page, "report", None) or getattr(page, "document", None)
    if document is not None:
        texts.append(pdf_text(document))
    return texts


def pdf_text(document) -> str:
    """The text a PDF shows, read from its content streams (`(...) Tj` operators, Flate-
    compressed or not), one line per text line: enough for the PDFs demo/pdf.py writes,
    without a PDF library."""
    with document.file.open("rb") as fh:
        data = fh.read()
    lines = []
    for head, stream in re.findall(rb"<<(.*?)>>\s*stream\r?\n(.*?)\r?\nendstream", data, re.S):
        if b"/FlateDecode" in head:
            stream = zlib.decompress(stream)
        for shown in re.findall(rb"\(((?:\\.|[^\\)])*)\)\s*Tj", stream):
            lines.append(re.sub(rb"\\(.)", rb"\1", shown).decode("cp1252"))
    return "\n".join(lines)


def one_line(text: str) -> str:
    return " ".join(text.split())


# --- Size and form ----------------------------------------------------------------------------


def test_the_corpus_has_the_items_the_issue_asks_for(corpus):
    sizes = [len(pages(PracticePage)), len(pages(EvaluationPage)), len(pages(ExpertisePage))]
    assert sizes == [20, 15, 15] and len(answered_questions()) == 10
    assert sum(1 for e in pages(EvaluationPage) if e.report_id) >= 6
    kinds = {e.kind for e in pages(ExpertisePage)}
    assert kinds == {"dossier", "publicatie", "handreiking", "factsheet"}


def test_slugs_are_made_from_titles(corpus):
    for page in [*pages(PracticePage), *pages(EvaluationPage), *pages(ExpertisePage)]:
        assert page.slug == slugify(page.title)
    for page in answered_questions():
        assert slugify(page.title).startswith(page.slug)
        assert not re.search(r"-\d+$", page.slug)


def test_no_page_has_an_image(corpus):
    everything = [
        *pages(PracticePage),
        *pages(EvaluationPage),
        *pages(ExpertisePage),
        *answered_questions(),
    ]
    assert everything
    assert not any(getattr(p, "image_id", None) for p in everything)
    assert not any(b.block_type == "image" for p in pages(ExpertisePage) for b in p.body)


# --- Evaluations: kind, method and level ------------------------------------------------------


def ordinal(slug: str) -> int:
    return RecognitionLevel.objects.get(slug=slug).ordinal


def test_evaluation_kind_and_method_bound_the_recognition_level(corpus):
    """No "effectief" level for a process evaluation or a qualitative or case-study method;
    at most "eerste aanwijzingen" for a pre/post measurement; "goede" and "sterke
    aanwijzingen" only for an effect evaluation with an RCT or a quasi-experimental design."""
    evaluations = pages(EvaluationPage)
    comparisons = (EvaluationMethod.RCT, EvaluationMethod.QUASI_EXPERIMENTAL)
    first_signs = ordinal("effectief-eerste-aanwijzingen")
    for evaluation in evaluations:
        level = evaluation.recognition_level.ordinal
        if evaluation.kind == EvaluationKind.PROCESS:
            assert level < first_signs, evaluation.title
        if evaluation.method in (EvaluationMethod.QUALITATIVE, EvaluationMethod.CASE_STUDY):
            assert level < first_signs, evaluation.title
        if evaluation.method == EvaluationMethod.PRE_POST:
            assert level <= first_signs, evaluation.title
        if level > first_signs:
            assert evaluation.kind == EvaluationKind.EFFECT, evaluation.title
            assert evaluation.method in comparisons, evaluation.title
    # The corpus shows the whole range, so the rule is exercised at both ends.
    levels = {e.recognition_level.slug for e in evaluations}
    assert {"niet-beoordeeld", "goed-beschreven", "effectief-sterke-aanwijzingen"} <= levels
    assert {e.kind for e in evaluations} == set(EvaluationKind)
    assert {e.method for e in evaluations} == set(EvaluationMethod)


def test_the_loader_refuses_an_evaluation_that_claims_more_than_its_method(corpus):
    item = {
        "title": "Een procesevaluatie die te veel belooft",
        "experiments": ["crooswijk-bewonersbudget"],
        "kind": "procesevaluatie",
        "method": "casestudy",
        "recognition": "effectief-sterke-aanwijzingen",
        "evaluator": "Bureau (fictief)",
        "centre": "kei",
        "published": dt.date(2011, 6, 1),
        "summary": "Te veel beloofd.",
        "findings": [],
    }
    with pytest.raises(ValueError, match="cannot support"):
        knowledge.KnowledgeLoader().make_evaluation(item)
    assert not EvaluationPage.objects.filter(title=item["title"]).exists()


# --- Dates ------------------------------------------------------------------------------------


def test_evaluations_come_after_enough_running_time_and_before_the_demo_date(corpus):
    for evaluation in pages(EvaluationPage):
        published = evaluation.publication_date
        assert published < DEMO_DATE and evaluation.first_published_at.date() == published
        running = 365 if evaluation.kind == EvaluationKind.EFFECT else 180
        experiments = list(evaluation.experiments.all())
        assert experiments, evaluation.title
        for experiment in experiments:
            assert published >= experiment.start_date + dt.timedelta(days=running), evaluation.title


def test_practices_are_written_after_their_experiment_ran_a_year(corpus):
    for practice in pages(PracticePage):
        published = practice.first_published_at.date()
        started = practice.source_experiment.start_date
        assert started + dt.timedelta(days=365) <= published < DEMO_DATE, practice.title
        # The period starts the year the experiment did, and ends no later than it did.
        years = [int(y) for y in re.findall(r"\d{4}", practice.period)]
        assert years[0] == started.year, practice.title
        ended = practice.source_experiment.end_date
        if len(years) > 1:
            assert ended is not None and years[-1] == ended.year, practice.title


def test_expertise_and_answers_are_dated_before_the_demo_date(corpus):
    for page in [*pages(ExpertisePage), *answered_questions()]:
        assert page.publication_date < DEMO_DATE, page.title
        assert page.first_published_at.date() >= page.publication_date, page.title
        assert page.first_published_at.date() < DEMO_DATE, page.title


# --- Practices --------------------------------------------------------------------------------


def test_practices_grow_from_an_experiment_in_their_own_gemeente(corpus):
    practices = pages(PracticePage)
    for practice in practices:
        experiment = practice.source_experiment
        assert experiment is not None, practice.title
        assert practice.municipality_id == experiment.municipality_id, practice.title
        assert set(practice.neighbourhoods.all()) == set(experiment.neighbourhoods.all())
        assert practice.experiment_type_id == experiment.experiment_type_id
        # The evaluations of the experiment list the practice that writes its approach up.
        assert set(experiment.evaluations.all()) == set(practice.evaluations.all())
    assert len({p.municipality_id for p in practices}) >= 12


def test_an_effective_practice_rests_on_an_effect_evaluation_published_before_it(corpus):
    first_signs = ordinal("effectief-eerste-aanwijzingen")
    effective = [p for p in pages(PracticePage) if p.recognition_level.ordinal >= first_signs]
    assert effective
    for practice in effective:
        published = practice.first_published_at.date()
        assert any(
            e.kind == EvaluationKind.EFFECT
            and e.recognition_level.ordinal >= practice.recognition_level.ordinal
            and e.publication_date < published
            for e in practice.source_experiment.evaluations.all()
        ), practice.title


# --- Knowledge centres ------------------------------------------------------------------------

# The theme an item of a centre is always about, for the centres with one field
# (krachtwijken.json "kenniscentra"); Movisie and Nicis work across themes.
FIELD_OF = {
    "ccv": "veiligheid",
    "rivm": "gezondheid",
    "forum": "integreren",
    "sev": "wonen",
    "kei": "wonen",
}


def test_every_knowledge_centre_has_expertise_in_its_own_field(corpus):
    expertise = pages(ExpertisePage)
    by_centre = defaultdict(list)
    for page in expertise:
        by_centre[page.knowledge_centre.slug].append(page)
    assert set(by_centre) == set(KnowledgeCentre.objects.values_list("slug", flat=True))
    for centre, theme in FIELD_OF.items():
        for page in by_centre[centre]:
            assert theme in {t.slug for t in page.themes.all()}, page.title
    assert sum(1 for p in expertise if p.document_id) >= 4


def test_nothing_before_the_merger_speaks_of_platform31(corpus):
    everything = [*pages(PracticePage), *pages(EvaluationPage), *pages(ExpertisePage)]
    for page in everything + answered_questions():
        assert "Platform31" not in page.title + " ".join(texts_of(page)), page.title


# --- Answered questions -----------------------------------------------------------------------


def test_answered_questions_are_published_by_the_centre_their_theme_routes_to(corpus):
    items = answered_questions()
    assert len(items) == len(knowledge.read("questions"))
    for page in items:
        question = Question.objects.get(published_item=page)
        assert page.live and question.status == Question.Status.ANSWERED
        assert question.anonymisation_checked_at is not None
        assert question.created_at < question.answered_at <= page.first_published_at
        assert page.knowledge_centre == question.knowledge_centre
        assert DEFAULT_ROUTES[question.theme.slug] == page.knowledge_centre.slug
        assert [t.slug for t in page.themes.all()] == [question.theme.slug]
        assert [b.block_type for b in page.body] == ["heading", "paragraph"] * 2


def test_each_answered_question_is_listed_on_the_page_of_the_wijk_it_is_about(corpus, client):
    wijk_of = {item["title"]: item for item in knowledge.read("questions")}
    for page in answered_questions():
        [wijk] = page.neighbourhoods.select_related("municipality")
        item = wijk_of[page.title]
        assert (wijk.municipality.slug, wijk.slug) == (item["gemeente"], item["wijk"])
        html = client.get(f"/wijken/{wijk.municipality.slug}/{wijk.slug}/").content.decode()
        assert escape(page.title) in html


def test_answered_questions_name_nobody(corpus):
    for item in knowledge.read("questions"):
        page = ExpertisePage.objects.get(title=item["title"])
        published = " ".join(texts_of(page))
        asker = item["asker"]
        names = [n for n in asker["name"].split() if n.lower() not in NAME_PARTICLES]
        for value in [asker["email"], asker["organisation"], *names]:
            assert not re.search(rf"(?i)\b{re.escape(value)}\b", published), (page.title, value)
        assert not re.search(r"\b0\d{2,3}-\d{6,7}\b", published), page.title
        question = Question.objects.get(published_item=page)
        # Long past the retention period, the question itself no longer holds the asker.
        assert question.is_anonymised
        assert (question.name, question.email, question.organisation) == ("", "", "")


# --- Texts ------------------------------------------------------------------------------------


def test_no_sentence_of_forty_characters_or_more_is_written_twice(corpus):
    items = [
        *pages(PracticePage),
        *pages(EvaluationPage),
        *pages(ExpertisePage),
        *answered_questions(),
    ]
    where = defaultdict(set)
    for page in items:
        for text in texts_of(page):
            for sentence in re.split(r"(?<=[.!?])\s+", one_line(text)):
                if len(sentence) >= 40:
                    where[sentence].add(page.title)
    repeated = {sentence: titles for sentence, titles in where.items() if len(titles) > 1}
    assert not repeated
    assert len(where) > 500  # the texts were read at all


def test_every_pdf_holds_its_title_and_text(corpus):
    documents = 0
    for model, field, text in (
        (EvaluationPage, "report", "report"),
        (ExpertisePage, "document", "document"),
    ):
        for item in knowledge.read(YAML_OF[model]):
            if not item.get(text):
                continue
            document = getattr(model.objects.get(title=item["title"]), field)
            shown = pdf_text(document)
            assert one_line(item["title"]) in one_line(shown)
            for paragraph in item[text]:
                assert one_line(paragraph) in one_line(shown), item["title"]
            documents += 1
    assert documents == get_document_model().objects.filter(title__in=_titles()).count()


def _titles():
    return [i["title"] for name in ("evaluations", "expertise") for i in knowledge.read(name)]


def test_every_item_is_shown_with_its_title_and_its_pdf_can_be_downloaded(corpus, client):
    everything = [
        *pages(PracticePage),
        *pages(EvaluationPage),
        *pages(ExpertisePage),
        *answered_questions(),
    ]
    for page in everything:
        response = client.get(page.url)
        assert response.status_code == 200, page.url
        assert escape(page.title) in response.content.decode(), page.url
    report = next(e.report for e in pages(EvaluationPage) if e.report_id)
    response = client.get(report.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


# --- Loading again ----------------------------------------------------------------------------


def test_loading_again_changes_nothing(corpus):
    def counts():
        return [
            m.objects.count()
            for m in (PracticePage, EvaluationPage, ExpertisePage, Question, get_document_model())
        ] + [EvaluationPage.practices.through.objects.count()]

    before = counts()
    assert knowledge.load() == {"evaluation": 0, "practice": 0, "expertise": 0, "question": 0}
    assert counts() == before


def test_questions_published_before_the_roles_exist_still_go_to_the_moderators(corpus, roles):
    """The demo publishes its questions before setup_roles makes the moderators' group; the
    next question published then finds the review task with that group on it."""
    task = AnonymisationReviewTask.objects.get(name=REVIEW_TASK_NAME)
    assert not task.groups.exists()  # as the demo leaves it
    review_workflow()
    moderators = SectionGroup.objects.get(kind=SectionGroup.Kind.MODERATORS).group
    assert list(task.groups.all()) == [moderators]
