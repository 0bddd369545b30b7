"""Generated volume beyond the hand-written corpus (demo/corpus), for benchmarks and tests
that need many pages: experiments, practices, evaluations and expertise spread over the 40
wijken, every theme and every experiment type, made from template sentences. Every generated
page says so in the first words of its summary (VOLUME_NOTE).

Item i is made from its own random generators seeded with (seed, i), so a given seed always
gives the same content, and a larger count only adds items. Slugs are the slugified title,
with a number added only when an earlier item has the same title; items are found by slug,
so loading twice changes nothing. Pages are created directly in the tree (published, no
revisions) to keep 10,000+ pages within minutes.
"""

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass
from functools import cached_property

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from wagtail.documents import get_document_model

from demo.indexes import indexes_paused
from demo.pdf import text_pdf
from experiments.choices import ExperimentStatus
from experiments.models import (
    ExperimentPage,
    ExperimentPartner,
    MunicipalityExperimentsPage,
    Registration,
)
from kennisbank.models import (
    EvaluationKind,
    EvaluationMethod,
    EvaluationPage,
    ExpertiseKind,
    ExpertisePage,
    KnowledgeCentrePage,
    MunicipalityPracticesPage,
    PracticePage,
)
from vocabulary.models import (
    ExperimentType,
    KnowledgeCentre,
    Neighbourhood,
    RecognitionLevel,
    Theme,
)
from website.structure import ensure_site_structure

VOLUME_NOTE = "Gegenereerde testinhoud voor prestatiemetingen."

PROJECT_NAMES = [
    "Samen Sterk",
    "Achter de Voordeur",
    "Wijk aan Zet",
    "Nieuwe Buren",
    "Thuis in de Wijk",
    "Eén Gezin Eén Plan",
    "Kansrijk Opgroeien",
    "Werk om de Hoek",
    "Veilig Thuis",
    "De Brug",
    "Buurtkracht",
    "Vaste Grond",
    "Open Deuren",
    "Stap Verder",
    "Doorbraak",
]

TYPE_SENTENCES = {
    "gezinscoach": [
        "Een vaste gezinscoach gaat achter de voordeur en maakt met het gezin één plan.",
        "De coach mag organisaties vragen af te wijken van hun eigen regels als het gezin daarmee verder komt.",
        "Schulden, opvoeding en werk worden in samenhang aangepakt in plaats van loket voor loket.",
    ],
    "stadsmarinier": [
        "De stadsmarinier heeft mandaat van de burgemeester om afspraken tussen partners af te dwingen.",
        "Hardnekkige overlastlocaties worden één voor één aangepakt met politie, corporatie en welzijn.",
        "Wekelijks overleg op straatniveau maakt knelpunten snel zichtbaar.",
    ],
    "adoptieteam": [
        "Bestuurders van rijk, gemeente en corporaties hebben de wijk voor vier jaar geadopteerd.",
        "Knelpunten die uitvoerders niet zelf kunnen oplossen gaan rechtstreeks naar het adoptieteam.",
        "Het team komt elk kwartaal in de wijk bijeen en spreekt bewoners en professionals.",
    ],
    "ontschotting-van-geldstromen": [
        "Budgetten van verschillende regelingen zijn samengevoegd in één wijkbudget.",
        "Geld volgt de aanpak: de vraag welk potje betaalt komt pas na de vraag wat nodig is.",
        "Verantwoording gebeurt op resultaat voor de wijk in plaats van per regeling.",
    ],
    "professionals-en-bewoners": [
        "Actieve bewoners krijgen een eigen budget en beslissen mee over de besteding.",
        "Professionals stellen zich op als ondersteuner van bewonersinitiatieven.",
        "Vrijwillige wijkcoaches werken samen met het wijkteam.",
    ],
    "structurele-inbedding-van-projecten": [
        "Een project dat werkt wordt omgezet in een vaste werkwijze van de betrokken organisaties.",
        "Afspraken over financiering na de projectperiode worden vooraf vastgelegd.",
        "De kennis uit het project wordt overgedragen aan de reguliere teams.",
    ],
}

THEME_SENTENCES = {
    "wonen": "Ook de woonomgeving en het onderhoud van woningen krijgen aandacht.",
    "werken": "Bewoners zonder werk worden begeleid naar een baan of opleiding.",
    "leren-en-opgroeien": "Scholen en voorschoolse voorzieningen werken nauw samen om schooluitval te voorkomen.",
    "integreren": "Taalcursussen en ontmoetingsplekken helpen nieuwe bewoners hun weg te vinden.",
    "veiligheid": "De aanpak richt zich op minder overlast en een groter gevoel van veiligheid.",
    "gezondheid": "Gezond leven en toegang tot zorg zijn onderdeel van de aanpak.",
}

FIRST_NAMES = [
    "Anouk",
    "Bram",
    "Fatima",
    "Hanneke",
    "Joris",
    "Kees",
    "Leila",
    "Mehmet",
    "Noor",
    "Sanne",
]
LAST_NAMES = ["de Vries", "Jansen", "Bakker", "El Amrani", "Visser", "Yilmaz", "Smit", "Mulder"]
EVALUATORS = [
    "Bureau Wijkonderzoek (fictief)",
    "Onderzoeksgroep Stad (fictief)",
    "Instituut voor Buurtstudies (fictief)",
    "Evaluatiebureau Doorbraak (fictief)",
]
TAGS = [
    "achter-de-voordeur",
    "bewonersparticipatie",
    "schuldhulp",
    "overlast",
    "vve",
    "voortijdig schoolverlaten",
    "wijkteam",
    "corporatie",
    "jongeren",
    "ouderen",
]

KIND_SHARES = [("experiment", 8), ("practice", 5), ("evaluation", 3), ("expertise", 4)]


@dataclass
class Vocabulary:
    neighbourhoods: list
    themes: list
    types: list
    levels: list
    centres: list


def kind_of(index: int) -> str:
    """Which kind of page item `index` is; a fixed cycle of 20 keeps the mix stable."""
    slot = index % sum(share for _kind, share in KIND_SHARES)
    for kind, share in KIND_SHARES:
        if slot < share:
            return kind
        slot -= share
    raise AssertionError("unreachable")


def rank_within_kind(index: int) -> int:
    """How many items of the same kind come before item `index`: used to rotate through
    wijken and experiment types so that every one of them gets content."""
    cycle = sum(share for _kind, share in KIND_SHARES)
    kind = kind_of(index)
    share = dict(KIND_SHARES)[kind]
    before_in_cycle = sum(1 for slot in range(index % cycle) if kind_of(slot) == kind)
    return (index // cycle) * share + before_in_cycle


def paragraphs(*sentences: str) -> str:
    return "".join(f"<p>{s}</p>" for s in sentences if s)


def person(rng) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


DEMO_EXPERTISE_KINDS = [
    ExpertiseKind.DOSSIER,
    ExpertiseKind.PUBLICATION,
    ExpertiseKind.GUIDE,
    ExpertiseKind.FACTSHEET,
]


class DemoLoader:
    """Makes `count` generated pages (items 0 to count - 1)."""

    def __init__(self, count: int, seed: int = 2007, stdout=None):
        self.count = count
        self.seed = seed
        self.stdout = stdout
        self.created = {"experiment": 0, "practice": 0, "evaluation": 0, "expertise": 0}

    def rng(self, index: int, purpose: str = "") -> random.Random:
        return random.Random(f"{self.seed}:{index}{purpose}")

    @cached_property
    def vocab(self) -> Vocabulary:
        return Vocabulary(
            neighbourhoods=list(
                Neighbourhood.objects.filter(is_krachtwijk=True)
                .select_related("municipality")
                .order_by("municipality__name", "name")
            ),
            themes=list(Theme.objects.order_by("slug")),
            types=list(ExperimentType.objects.order_by("slug")),
            levels=list(RecognitionLevel.objects.order_by("ordinal")),
            centres=list(KnowledgeCentre.objects.order_by("slug")),
        )

    def log(self, message: str) -> None:
        if self.stdout is not None:
            self.stdout.write(message)

    def ensure_documents(self):
        """A few PDFs shared by many generated pages (no images: no image beats a fake one)."""
        Document = get_document_model()
        self.documents = []
        for n in range(1, 5):
            title = f"Gegenereerd testdocument {n}"
            document = Document.objects.filter(title=title).first()
            if document is None:
                document = Document(title=title)
                pdf = text_pdf(title, [f"{VOLUME_NOTE} Het hoort bij geen beschreven experiment."])
                document.file.save(f"testdocument-{n}.pdf", ContentFile(pdf), save=False)
                document.save()
            self.documents.append(document)

    # --- loading -------------------------------------------------------------------------

    def load(self):
        structure = ensure_site_structure()
        existing = {
            "experiment": set(ExperimentPage.objects.values_list("slug", flat=True)),
            "practice": set(PracticePage.objects.values_list("slug", flat=True)),
            "evaluation": set(EvaluationPage.objects.values_list("slug", flat=True)),
            "expertise": set(ExpertisePage.objects.values_list("slug", flat=True)),
        }
        slugs = self.slugs()
        missing = [i for i in range(self.count) if slugs[i] not in existing[kind_of(i)]]
        if not missing:
            return self.created
        self.ensure_documents()
        self.experiment_parents = {
            p.municipality_id: p for p in MunicipalityExperimentsPage.objects.all()
        }
        self.practice_parents = {
            p.municipality_id: p for p in MunicipalityPracticesPage.objects.all()
        }
        self.centre_parents = {p.knowledge_centre_id: p for p in KnowledgeCentrePage.objects.all()}
        self.evaluation_parent = structure.evaluations
        makers = {
            "experiment": self.make_experiment,
            "practice": self.make_practice,
            "evaluation": self.make_evaluation,
            "expertise": self.make_expertise,
        }
        # Experiments first: practices and evaluations point at them.
        kinds = [k for k, _s in KIND_SHARES]
        missing.sort(key=lambda i: kinds.index(kind_of(i)))
        with indexes_paused():
            for done, index in enumerate(missing, start=1):
                kind = kind_of(index)
                with transaction.atomic():
                    makers[kind](index, slugs[index], self.title(kind, index))
                self.created[kind] += 1
                if done % 1000 == 0:
                    self.log(f"  {done}/{len(missing)} ...")
        return self.created

    # What a title is made of is drawn from generators of its own, so that the slugs of all
    # items are known without making any of them.

    def project(self, index: int) -> str:
        return self.rng(index, ":project").choice(PROJECT_NAMES)

    def evaluation_kind(self, index: int) -> EvaluationKind:
        return self.rng(index, ":kind").choice(list(EvaluationKind))

    def expertise_kind(self, index: int) -> ExpertiseKind:
        # Questions and answers come only from the question desk, never from the generator.
        return self.rng(index, ":kind").choice(DEMO_EXPERTISE_KINDS)

    def centre_for(self, index: int):
        return self.vocab.centres[rank_within_kind(index) % len(self.vocab.centres)]

    def title(self, kind: str, index: int) -> str:
        project, neighbourhood = self.project(index), self.neighbourhood_for(index)
        if kind == "experiment":
            return f"{self.experiment_type_for(index).name} {neighbourhood.name}: {project}"
        if kind == "practice":
            return f"Goede praktijk: {project} in {neighbourhood.name}"
        if kind == "evaluation":
            label = self.evaluation_kind(index).label
            return f"{label.capitalize()} {project}, {neighbourhood.name}"
        label = self.expertise_kind(index).label
        return f"{label.capitalize()} {self.centre_for(index).abbreviation}: {project}"

    def slugs(self) -> list[str]:
        """Item i's slug: its slugified title, with "-2", "-3", ... when earlier items of its
        kind have the same title. It depends only on the items before it, so a larger count
        keeps the slugs of a smaller one."""
        seen = Counter()
        slugs = []
        for index in range(self.count):
            kind = kind_of(index)
            base = slugify(self.title(kind, index))[:80]
            seen[kind, base] += 1
            slugs.append(base if seen[kind, base] == 1 else f"{base}-{seen[kind, base]}")
        return slugs

    # Practices and evaluations point at experiments. All experiments are made before them
    # (see load), so these lookups are read once, on first use, instead of once per page. Only
    # generated experiments: a hand-written one never gets a generated practice or evaluation.

    @cached_property
    def generated_experiments(self):
        return ExperimentPage.objects.filter(summary__startswith=VOLUME_NOTE)

    @cached_property
    def experiment_by_place_and_type(self) -> dict[tuple[int, int], int]:
        """{(municipality id, experiment type id): id of the oldest such experiment}."""
        lookup = {}
        for pk, municipality_id, type_id in self.generated_experiments.order_by("-pk").values_list(
            "pk", "municipality_id", "experiment_type_id"
        ):
            lookup[(municipality_id, type_id)] = pk  # later rows are older: the oldest wins
        return lookup

    @cached_property
    def first_experiment_ids(self) -> list[int]:
        return list(self.generated_experiments.order_by("pk").values_list("pk", flat=True)[:500])

    def neighbourhood_for(self, index: int):
        return self.vocab.neighbourhoods[rank_within_kind(index) % len(self.vocab.neighbourhoods)]

    def experiment_type_for(self, index: int):
        # A different stride than the wijken, so types and wijken combine in many ways.
        return self.vocab.types[(rank_within_kind(index) // 2) % len(self.vocab.types)]

    def dates(self, rng):
        # The programme's years up to the demo date, like the corpus: no generated
        # registration is numbered before the corpus's first, KW-2008-0001.
        start = dt.date(rng.randint(2008, 2011), rng.randint(1, 12), rng.randint(1, 28))
        planned_end = start + dt.timedelta(days=rng.choice([365, 730, 1095]))
        return start, planned_end

    def published_at(self, day: dt.date):
        return timezone.make_aware(dt.datetime(day.year, day.month, day.day, 10, 0))

    def make_experiment(self, index: int, slug: str, title: str):
        rng = self.rng(index)
        neighbourhood = self.neighbourhood_for(index)
        municipality = neighbourhood.municipality
        experiment_type = self.experiment_type_for(index)
        themes = rng.sample(self.vocab.themes, rng.randint(1, 3))
        start, planned_end = self.dates(rng)
        status = rng.choice(list(ExperimentStatus))
        end = None
        if status in (ExperimentStatus.COMPLETED, ExperimentStatus.STOPPED):
            end = (
                planned_end
                if status == ExperimentStatus.COMPLETED
                else start + dt.timedelta(days=200)
            )
        same_municipality = [
            n for n in self.vocab.neighbourhoods if n.municipality_id == municipality.pk
        ]
        wijken = {neighbourhood} | set(
            rng.sample(same_municipality, min(len(same_municipality), rng.randint(0, 1)))
        )
        project = self.project(index)
        sentences = TYPE_SENTENCES.get(experiment_type.slug, [])
        page = ExperimentPage(
            title=title,
            slug=slug,
            municipality=municipality,
            summary=f"{VOLUME_NOTE} {sentences[0] if sentences else ''} In {neighbourhood.name} "
            f"({municipality.name}) probeert de gemeente met het project {project} een nieuwe vorm "
            f"van doorzettingsmacht uit.",
            experiment_type=experiment_type,
            status=status,
            start_date=start,
            planned_end_date=planned_end,
            end_date=end,
            stop_reason="De betrokken partners konden het benodigde mandaat niet geven."
            if status == ExperimentStatus.STOPPED
            else "",
            problem_analysis=paragraphs(
                f"In {neighbourhood.name} stapelen problemen zich op bij een kleine groep huishoudens.",
                *(THEME_SENTENCES[t.slug] for t in themes),
            ),
            goals=paragraphs(
                "Minder huishoudens met meervoudige problemen na twee jaar.",
                "Bewoners ervaren dat instanties samenwerken.",
            ),
            activities=paragraphs(*sentences),
            target_group=rng.choice(
                [
                    "Gezinnen met meervoudige problemen",
                    "Jongeren van 12 tot 23 jaar",
                    "Alle bewoners van de wijk",
                    "Werkzoekenden met een uitkering",
                ]
            ),
            mandate=paragraphs(sentences[1] if len(sentences) > 1 else ""),
            research_design=paragraphs(
                "Voor- en nameting bij deelnemers, aangevuld met interviews met professionals."
            ),
            obstacles=paragraphs(
                "Privacyregels maken het lastig gegevens tussen organisaties te delen."
            ),
            request_to_government=paragraphs(
                "Ruimte om af te wijken van landelijke regels voor de duur van het experiment."
            ),
            contact_name=f"{person(rng)} (fictief)",
            contact_organisation=f"Gemeente {municipality.name}",
            contact_email=f"krachtwijken.{municipality.slug}@example.org",
            live=True,
            first_published_at=self.published_at(start),
            last_published_at=self.published_at(start),
        )
        page.neighbourhoods = sorted(wijken, key=lambda n: n.pk)
        page.themes = themes
        page.partners = [
            ExperimentPartner(
                name=f"Woonstichting {neighbourhood.name} (fictief)",
                role="woningcorporatie",
                contribution="Levert woningen en huismeesters",
            ),
            ExperimentPartner(
                name="Politie, basisteam (fictief)",
                role="politie",
                contribution="Wijkagent neemt deel aan het casusoverleg",
            ),
        ]
        self.experiment_parents[municipality.pk].add_child(instance=page)
        page.tags.add(*rng.sample(TAGS, 2))
        Registration.assign(page, when=page.first_published_at)

    def make_practice(self, index: int, slug: str, title: str):
        rng = self.rng(index)
        neighbourhood = self.neighbourhood_for(index)
        municipality = neighbourhood.municipality
        experiment_type = self.experiment_type_for(index)
        themes = rng.sample(self.vocab.themes, rng.randint(1, 2))
        source_id = self.experiment_by_place_and_type.get((municipality.pk, experiment_type.pk))
        start, _end = self.dates(rng)
        page = PracticePage(
            title=title,
            slug=slug,
            municipality=municipality,
            summary=f"{VOLUME_NOTE} Hoe {neighbourhood.name} met {experiment_type.name.lower()} "
            f"resultaat boekte, en wat anderen daarvan kunnen overnemen.",
            experiment_type=experiment_type,
            source_experiment_id=source_id,
            recognition_level=rng.choice(self.vocab.levels),
            period=f"{start.year}-{start.year + rng.randint(1, 3)}",
            problem=paragraphs(*(THEME_SENTENCES[t.slug] for t in themes)),
            approach=paragraphs(*TYPE_SENTENCES.get(experiment_type.slug, [])),
            results=paragraphs(
                "Deelnemers waren na een jaar vaker aan het werk of op school.",
                "Professionals zeggen sneller te kunnen schakelen.",
            ),
            success_conditions=paragraphs(
                "Steun van het bestuur en een vaste contactpersoon per organisatie."
            ),
            costs=paragraphs(
                f"Ongeveer {rng.randint(2, 9) * 50}.000 euro per jaar (fictief bedrag)."
            ),
            contact_name=f"{person(rng)} (fictief)",
            contact_organisation=f"Gemeente {municipality.name}",
            document=rng.choice(self.documents),
            live=True,
            first_published_at=self.published_at(start),
            last_published_at=self.published_at(start),
        )
        page.neighbourhoods = [neighbourhood]
        page.themes = themes
        self.practice_parents[municipality.pk].add_child(instance=page)
        page.tags.add(*rng.sample(TAGS, 2))

    def make_evaluation(self, index: int, slug: str, title: str):
        rng = self.rng(index)
        experiment_ids = self.first_experiment_ids
        evaluated = rng.sample(experiment_ids, min(len(experiment_ids), rng.randint(1, 2)))
        experiments = list(
            ExperimentPage.objects.filter(pk__in=evaluated).prefetch_related("themes")
        )
        themes = sorted({t for e in experiments for t in e.themes.all()}, key=lambda t: t.pk)
        kind = self.evaluation_kind(index)
        method = rng.choice(list(EvaluationMethod))
        published = dt.date(rng.randint(2009, 2011), rng.randint(1, 12), rng.randint(1, 28))
        names = ", ".join(e.title for e in experiments)
        page = EvaluationPage(
            title=title,
            slug=slug,
            summary=f"{VOLUME_NOTE} {kind.label.capitalize()} van {names[:300]}.",
            kind=kind,
            method=method,
            evaluator=rng.choice(EVALUATORS),
            knowledge_centre=rng.choice(self.vocab.centres),
            publication_date=published,
            recognition_level=rng.choice(self.vocab.levels),
            findings=paragraphs(
                "De aanpak bereikt de doelgroep goed.",
                "Effecten op lange termijn zijn nog niet vast te stellen.",
                "Samenwerking tussen organisaties is duidelijk verbeterd.",
            ),
            report=rng.choice(self.documents),
            live=True,
            first_published_at=self.published_at(published),
            last_published_at=self.published_at(published),
        )
        page.experiments = experiments
        page.themes = themes
        self.evaluation_parent.add_child(instance=page)

    def make_expertise(self, index: int, slug: str, title: str):
        rng = self.rng(index)
        centre = self.centre_for(index)
        kind = self.expertise_kind(index)
        themes = rng.sample(self.vocab.themes, rng.randint(1, 2))
        types = rng.sample(self.vocab.types, rng.randint(0, 2))
        published = dt.date(rng.randint(2008, 2011), rng.randint(1, 12), rng.randint(1, 28))
        subject = themes[0].name.lower()
        page = ExpertisePage(
            title=title,
            slug=slug,
            knowledge_centre=centre,
            kind=kind,
            summary=f"{VOLUME_NOTE} {centre.abbreviation} bundelt wat bekend is over {subject} in de krachtwijken.",
            authors=f"{person(rng)} en {person(rng)} (fictief)",
            publication_date=published,
            body=[
                ("heading", "Wat werkt"),
                ("paragraph", paragraphs(*(THEME_SENTENCES[t.slug] for t in themes))),
                ("paragraph", paragraphs(*(TYPE_SENTENCES[t.slug][0] for t in types))),
                ("quote", "Begin klein, maar organiseer het mandaat vanaf de eerste dag."),
            ],
            document=rng.choice(self.documents),
            live=True,
            first_published_at=self.published_at(published),
            last_published_at=self.published_at(published),
        )
        page.themes = themes
        page.experiment_types = types
        self.centre_parents[centre.pk].add_child(instance=page)
