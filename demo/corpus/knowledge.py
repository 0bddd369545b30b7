"""The knowledge half of the hand-written demo corpus: practices, evaluations, the knowledge
centres' expertise and answered questions of the question desk, written by hand in the YAML
files beside this module (practices.yaml, evaluations.yaml, expertise.yaml, questions.yaml).

Every item is fictional: the footer of every page says the demo content is, and people are
marked "(fictief)". It is loaded after the experiments (experiments.yaml), which practices and evaluations find by their slug; the demo date is
1 March 2012 (`DEMO_DATE`), and every date here lies before it:

- a practice grows from one experiment and belongs to that experiment's gemeente and wijken;
  it is first published at least `PRACTICE_AFTER` after the experiment started;
- an evaluation is published after the experiment it evaluates started: a process evaluation at
  least `PROCESS_AFTER` later, an effect evaluation at least `EFFECT_AFTER` later;
- answered questions go through the question desk's own path (loket.services): stored as a
  question of its theme's centre, answered, published as an anonymised "vraag en antwoord"
  item, confirmed "anonymisation checked" and, being long past the retention period, stripped
  of the asker.

**Recognition levels** follow from an evaluation's kind and method (`strongest_level`):

- a process evaluation shows how an approach works, never whether it has effect: at most
  "goed onderbouwd", whatever its method;
- an effect evaluation with a qualitative method or a case study has no comparison to speak of
  effects: at most "goed onderbouwd";
- an effect evaluation with a pre/post measurement and no comparison group gives at most
  "effectief – eerste aanwijzingen";
- "effectief – goede aanwijzingen" and "effectief – sterke aanwijzingen" need a comparison: a
  randomised controlled trial or a quasi-experimental design.

A practice carries an "effectief" level only when an effect evaluation of its experiment,
published before the practice, reached at least that level.

Loading is idempotent: an item whose page exists (by slug, or for a question by its title) is
left as it is. No images: there are none to show that would not be fake.
"""

import datetime as dt
from pathlib import Path

import yaml
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import slugify
from wagtail.documents import get_document_model
from wagtail.models import Revision

from demo.pdf import text_pdf
from experiments.models import ExperimentPage
from kennisbank.models import (
    EvaluationIndexPage,
    EvaluationKind,
    EvaluationMethod,
    EvaluationPage,
    ExpertiseKind,
    ExpertisePage,
    KnowledgeCentrePage,
    MunicipalityPracticesPage,
    PracticePage,
)
from loket.models import Question
from loket.services import anonymise, anonymised_texts, publish_as_item, record_answer
from vocabulary.models import (
    ExperimentType,
    KnowledgeCentre,
    Municipality,
    Neighbourhood,
    RecognitionLevel,
    Theme,
)

CORPUS_DIR = Path(__file__).resolve().parent
DEMO_DATE = dt.date(2012, 3, 1)
PROGRAMME_START = dt.date(2007, 1, 1)  # the krachtwijken programme; nothing here is older
PRACTICE_AFTER = dt.timedelta(days=365)
PROCESS_AFTER = dt.timedelta(days=180)
EFFECT_AFTER = dt.timedelta(days=365)

# Recognition levels by slug (vocabulary/loading.py): the weakest "effectief" level.
FIRST_SIGNS = "effectief-eerste-aanwijzingen"


def strongest_level(kind: str, method: str) -> str:
    """The slug of the highest recognition level an evaluation of `kind` and `method` can
    support; the rule is stated in the module's docstring."""
    if kind == EvaluationKind.PROCESS:
        return "goed-onderbouwd"
    if method in (EvaluationMethod.RCT, EvaluationMethod.QUASI_EXPERIMENTAL):
        return "effectief-sterke-aanwijzingen"
    if method == EvaluationMethod.PRE_POST:
        return FIRST_SIGNS
    return "goed-onderbouwd"


def read(name: str) -> list[dict]:
    with (CORPUS_DIR / f"{name}.yaml").open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def html(paragraphs: list[str]) -> str:
    return "".join(f"<p>{escape(p)}</p>" for p in paragraphs or [])


def moment(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, 10, 0))


def one_line(text: str) -> str:
    return " ".join(text.split())


def pdf_document(title: str, paragraphs: list[str]):
    """A Wagtail document holding a small real PDF of `paragraphs` under `title`."""
    document = get_document_model()(title=title)
    document.file.save(f"{slugify(title)[:80]}.pdf", ContentFile(text_pdf(title, paragraphs)))
    return document


class KnowledgeLoader:
    def __init__(self, stdout=None):
        self.stdout = stdout
        self.created = {"evaluation": 0, "practice": 0, "expertise": 0, "question": 0}
        self.themes = {t.slug: t for t in Theme.objects.all()}
        self.types = {t.slug: t for t in ExperimentType.objects.all()}
        self.levels = {level.slug: level for level in RecognitionLevel.objects.all()}
        self.centres = {c.slug: c for c in KnowledgeCentre.objects.all()}
        self.centre_pages = {
            p.knowledge_centre.slug: p
            for p in KnowledgeCentrePage.objects.select_related("knowledge_centre")
        }

    def load(self) -> dict[str, int]:
        # Evaluations before practices: a practice's recognition level rests on them.
        for kind, file, make in (
            ("evaluation", "evaluations", self.make_evaluation),
            ("practice", "practices", self.make_practice),
            ("expertise", "expertise", self.make_expertise),
            ("question", "questions", self.make_question),
        ):
            for item in read(file):
                with transaction.atomic():
                    if make(item):
                        self.created[kind] += 1
        if self.stdout is not None:
            parts = ", ".join(f"{kind}: {n}" for kind, n in self.created.items())
            self.stdout.write(f"Knowledge corpus: {parts} new.")
        return self.created

    # --- lookups that fail loudly on a mistake in the YAML -----------------------------------

    def experiment(self, slug: str) -> ExperimentPage:
        try:
            return ExperimentPage.objects.select_related("municipality").get(slug=slug)
        except ExperimentPage.DoesNotExist:
            raise ValueError(f"demo corpus: no experiment with slug {slug!r}") from None

    def check_date(self, item: dict, day: dt.date, not_before: dt.date) -> None:
        if not (not_before <= day < DEMO_DATE):
            raise ValueError(
                f"demo corpus: {item['title']!r} dated {day}, outside {not_before}..{DEMO_DATE}"
            )

    # --- makers: each returns whether it created its item -------------------------------------

    def make_practice(self, item: dict) -> bool:
        slug = slugify(item["title"])
        if PracticePage.objects.filter(slug=slug).exists():
            return False
        experiment = self.experiment(item["experiment"])
        published = item["published"]
        self.check_date(item, published, experiment.start_date + PRACTICE_AFTER)
        level = self.levels[item["recognition"]]
        if level.ordinal >= self.levels[FIRST_SIGNS].ordinal:
            best = max(
                (
                    e.recognition_level.ordinal
                    for e in experiment.evaluations.filter(
                        kind=EvaluationKind.EFFECT, publication_date__lt=published
                    ).select_related("recognition_level")
                ),
                default=0,
            )
            if best < level.ordinal:
                raise ValueError(f"demo corpus: {item['title']!r} claims more than its evidence")
        page = PracticePage(
            title=item["title"],
            slug=slug,
            municipality=experiment.municipality,
            summary=one_line(item["summary"]),
            experiment_type=experiment.experiment_type,
            source_experiment=experiment,
            recognition_level=level,
            period=item["period"],
            problem=html(item["problem"]),
            approach=html(item["approach"]),
            results=html(item["results"]),
            success_conditions=html(item["success_conditions"]),
            costs=html(item["costs"]),
            contact_name=item["contact"]["name"],
            contact_organisation=item["contact"]["organisation"],
            live=True,
            first_published_at=moment(published),
            last_published_at=moment(published),
        )
        page.neighbourhoods = list(experiment.neighbourhoods.all())
        page.themes = [self.themes[s] for s in item["themes"]]
        page.tags.add(*item.get("tags", []))
        MunicipalityPracticesPage.objects.get(municipality=experiment.municipality).add_child(
            instance=page
        )
        # What evaluated the experiment evaluated the approach this practice writes up.
        EvaluationPage.practices.through.objects.bulk_create(
            EvaluationPage.practices.through(evaluationpage=evaluation, practicepage=page)
            for evaluation in experiment.evaluations.all()
        )
        return True

    def make_evaluation(self, item: dict) -> bool:
        slug = slugify(item["title"])
        if EvaluationPage.objects.filter(slug=slug).exists():
            return False
        experiments = [self.experiment(s) for s in item["experiments"]]
        kind, method = EvaluationKind(item["kind"]), EvaluationMethod(item["method"])
        level = self.levels[item["recognition"]]
        if level.ordinal > self.levels[strongest_level(kind, method)].ordinal:
            raise ValueError(
                f"demo corpus: {item['title']!r}: a {kind.label} by {method.label} "
                f"cannot support {level.name!r}"
            )
        published = item["published"]
        running = EFFECT_AFTER if kind == EvaluationKind.EFFECT else PROCESS_AFTER
        self.check_date(item, published, max(e.start_date for e in experiments) + running)
        page = EvaluationPage(
            title=item["title"],
            slug=slug,
            summary=one_line(item["summary"]),
            kind=kind,
            method=method,
            evaluator=item["evaluator"],
            knowledge_centre=self.centres[item["centre"]],
            publication_date=published,
            recognition_level=level,
            findings=html(item["findings"]),
            live=True,
            first_published_at=moment(published),
            last_published_at=moment(published),
        )
        if item.get("report"):
            page.report = pdf_document(item["title"], item["report"])
        page.experiments = experiments
        page.themes = sorted({t for e in experiments for t in e.themes.all()}, key=lambda t: t.slug)
        page.tags.add(*item.get("tags", []))
        EvaluationIndexPage.objects.get().add_child(instance=page)
        return True

    def make_expertise(self, item: dict) -> bool:
        slug = slugify(item["title"])
        if ExpertisePage.objects.filter(slug=slug).exists():
            return False
        published = item["published"]
        self.check_date(item, published, PROGRAMME_START)
        page = ExpertisePage(
            title=item["title"],
            slug=slug,
            knowledge_centre=self.centres[item["centre"]],
            kind=ExpertiseKind(item["kind"]),
            summary=one_line(item["summary"]),
            authors=item["authors"],
            publication_date=published,
            body=[
                (block, html([text]) if block == "paragraph" else text)
                for part in item["body"]
                for block, text in part.items()
            ],
            live=True,
            first_published_at=moment(published),
            last_published_at=moment(published),
        )
        if item.get("document"):
            page.document = pdf_document(item["title"], item["document"])
        page.themes = [self.themes[s] for s in item["themes"]]
        page.experiment_types = [self.types[s] for s in item.get("types", [])]
        page.tags.add(*item.get("tags", []))
        self.centre_pages[item["centre"]].add_child(instance=page)
        return True

    def make_question(self, item: dict) -> bool:
        """A question asked, answered and published the way the question desk does it; the
        moderator's check is recorded on the day the item went live. There is no editor to
        name in a demo, so the steps are taken by nobody (as after an account was removed)."""
        centre = self.centres[item["centre"]]
        if ExpertisePage.objects.filter(
            knowledge_centre=centre, kind=ExpertiseKind.QUESTION_AND_ANSWER, title=item["title"]
        ).exists():
            return False
        asked, answered, checked = item["asked"], item["answered"], item["published"]
        if not (asked < answered <= checked < DEMO_DATE):
            raise ValueError(f"demo corpus: {item['title']!r}: its dates are out of order")
        asker = item["asker"]
        question = Question.objects.create(
            name=asker["name"],
            email=asker["email"],
            organisation=asker["organisation"],
            municipality=Municipality.objects.get(slug=item["gemeente"]),
            theme=self.themes[item["theme"]],
            text=item["question"].strip(),
            consent_at=moment(asked),
            created_at=moment(asked),
            knowledge_centre=centre,
            status=Question.Status.IN_PROGRESS,
        )
        record_answer(question, item["answer"].strip(), None)
        question.answered_at = moment(answered)
        question.save()
        texts = anonymised_texts(question)
        page = publish_as_item(
            question,
            None,
            title=item["title"],
            summary=one_line(texts["summary"]),
            question_text=texts["question_text"],
            answer_text=texts["answer_text"],
            submit=False,
        ).page
        Question.objects.filter(pk=question.pk).update(anonymisation_checked_at=moment(checked))
        # The editor names the wijk the question is about before publishing, as in the admin.
        draft = page.get_latest_revision().as_object()
        draft.neighbourhoods = [
            Neighbourhood.objects.get(municipality__slug=item["gemeente"], slug=item["wijk"])
        ]
        revision = draft.save_revision()
        revision.publish()
        Revision.objects.filter(pk=revision.pk).update(created_at=moment(checked))
        ExpertisePage.objects.filter(pk=page.pk).update(
            first_published_at=moment(checked), last_published_at=moment(checked)
        )
        anonymise(question)
        return True


def load(stdout=None) -> dict[str, int]:
    """Load the knowledge half of the corpus (after the experiments); returns how many items
    of each kind were created."""
    return KnowledgeLoader(stdout=stdout).load()
