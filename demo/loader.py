"""Fictional demo content: experiments, practices, evaluations and expertise spread over
the 40 wijken, every theme and every experiment type.

Item i is made from its own random generator seeded with (seed, i), so a given seed always
gives the same content, and a larger size only adds items. Items are found by slug, so
loading twice changes nothing. Pages are created directly in the tree (published, no
revisions) to keep 10,000+ pages within minutes.
"""

import datetime as dt
import io
import random
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

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

FICTION_NOTE = "Fictief demovoorbeeld."

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


@contextmanager
def admin_indexes_paused():
    """Wagtail's admin search index and reference index are brought up to date once after
    the load instead of after every one of thousands of saves (they cost about half of the
    time per page)."""
    from django.db.models.signals import post_save
    from modelsearch.index import get_indexed_models
    from modelsearch.signal_handlers import post_save_signal_handler
    from wagtail.signal_handlers import disable_reference_index_auto_update

    models = [m for m in get_indexed_models() if getattr(m, "search_auto_update", True)]
    for model in models:
        post_save.disconnect(post_save_signal_handler, sender=model)
    try:
        with disable_reference_index_auto_update():
            yield
    finally:
        for model in models:
            post_save.connect(post_save_signal_handler, sender=model)


DEMO_EXPERTISE_KINDS = [
    ExpertiseKind.DOSSIER,
    ExpertiseKind.PUBLICATION,
    ExpertiseKind.GUIDE,
    ExpertiseKind.FACTSHEET,
]


class DemoLoader:
    def __init__(self, size: int, seed: int = 2007, stdout=None):
        self.size = size
        self.seed = seed
        self.stdout = stdout
        self.created = {"experiment": 0, "practice": 0, "evaluation": 0, "expertise": 0}

    def rng(self, index: int) -> random.Random:
        return random.Random(f"{self.seed}:{index}")

    def log(self, message: str) -> None:
        if self.stdout is not None:
            self.stdout.write(message)

    # --- media: a few generated images and PDFs, shared by many pages --------------------

    def ensure_media(self):
        Image, Document = get_image_model(), get_document_model()
        palette = ["#154273", "#39870c", "#e17000", "#8fcae7", "#a90061", "#673327"]
        self.images = []
        for n, colour in enumerate(palette, start=1):
            title = f"Demo-afbeelding {n}"
            image = Image.objects.filter(title=title).first()
            if image is None:
                canvas = PILImage.new("RGB", (800, 450), colour)
                draw = ImageDraw.Draw(canvas)
                for k in range(0, 800, 80):
                    draw.rectangle([k, 300 - (k % 160), k + 60, 450], fill="#ffffff")
                draw.text((24, 24), f"Kennisloket Krachtwijken - {title}", fill="#ffffff")
                buffer = io.BytesIO()
                canvas.save(buffer, format="PNG")
                image = Image(title=title)
                image.file = ImageFile(io.BytesIO(buffer.getvalue()), name=f"demo-{n}.png")
                image.save()
            self.images.append(image)
        self.documents = []
        for n in range(1, 5):
            title = f"Demodocument {n}"
            document = Document.objects.filter(title=title).first()
            if document is None:
                document = Document(title=title)
                document.file.save(
                    f"demodocument-{n}.pdf", ContentFile(minimal_pdf(title)), save=False
                )
                document.save()
            self.documents.append(document)

    # --- loading -------------------------------------------------------------------------

    def load(self):
        structure = ensure_site_structure()
        self.ensure_media()
        vocab = Vocabulary(
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
        self.vocab = vocab
        self.experiment_parents = {
            p.municipality_id: p for p in MunicipalityExperimentsPage.objects.all()
        }
        self.practice_parents = {
            p.municipality_id: p for p in MunicipalityPracticesPage.objects.all()
        }
        self.centre_parents = {p.knowledge_centre_id: p for p in KnowledgeCentrePage.objects.all()}
        self.evaluation_parent = structure.evaluations

        existing = {
            "experiment": set(ExperimentPage.objects.values_list("slug", flat=True)),
            "practice": set(PracticePage.objects.values_list("slug", flat=True)),
            "evaluation": set(EvaluationPage.objects.values_list("slug", flat=True)),
            "expertise": set(ExpertisePage.objects.values_list("slug", flat=True)),
        }
        makers = {
            "experiment": self.make_experiment,
            "practice": self.make_practice,
            "evaluation": self.make_evaluation,
            "expertise": self.make_expertise,
        }
        # Experiments first: practices and evaluations point at them.
        order = sorted(
            range(self.size), key=lambda i: [k for k, _s in KIND_SHARES].index(kind_of(i))
        )
        with admin_indexes_paused():
            for count, index in enumerate(order, start=1):
                kind = kind_of(index)
                slug = self.slug(kind, index)
                if slug in existing[kind]:
                    continue
                with transaction.atomic():
                    makers[kind](index, slug)
                self.created[kind] += 1
                if count % 1000 == 0:
                    self.log(f"  {count}/{self.size} ...")
        return self.created

    def slug(self, kind: str, index: int) -> str:
        if kind in ("experiment", "practice"):
            neighbourhood = self.neighbourhood_for(index)
            return f"{kind[:4]}-{neighbourhood.slug}-{index:05d}"
        return f"{kind[:4]}-{index:05d}"

    # Practices and evaluations point at experiments. All experiments are made before them
    # (see load), so these lookups are read once, on first use, instead of once per page.

    @cached_property
    def experiment_by_place_and_type(self) -> dict[tuple[int, int], int]:
        """{(municipality id, experiment type id): id of the oldest such experiment}."""
        lookup = {}
        for pk, municipality_id, type_id in ExperimentPage.objects.order_by("-pk").values_list(
            "pk", "municipality_id", "experiment_type_id"
        ):
            lookup[(municipality_id, type_id)] = pk  # later rows are older: the oldest wins
        return lookup

    @cached_property
    def first_experiment_ids(self) -> list[int]:
        return list(ExperimentPage.objects.order_by("pk").values_list("pk", flat=True)[:500])

    def neighbourhood_for(self, index: int):
        return self.vocab.neighbourhoods[rank_within_kind(index) % len(self.vocab.neighbourhoods)]

    def experiment_type_for(self, index: int):
        # A different stride than the wijken, so types and wijken combine in many ways.
        return self.vocab.types[(rank_within_kind(index) // 2) % len(self.vocab.types)]

    def dates(self, rng):
        start = dt.date(rng.randint(2007, 2011), rng.randint(1, 12), rng.randint(1, 28))
        planned_end = start + dt.timedelta(days=rng.choice([365, 730, 1095]))
        return start, planned_end

    def published_at(self, day: dt.date):
        return timezone.make_aware(dt.datetime(day.year, day.month, day.day, 10, 0))

    def make_experiment(self, index: int, slug: str):
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
        project = rng.choice(PROJECT_NAMES)
        title = f"{experiment_type.name} {neighbourhood.name}: {project}"
        sentences = TYPE_SENTENCES.get(experiment_type.slug, [])
        page = ExperimentPage(
            title=title,
            slug=slug,
            municipality=municipality,
            summary=f"{FICTION_NOTE} {sentences[0] if sentences else ''} In {neighbourhood.name} "
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
            image=rng.choice(self.images),
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

    def make_practice(self, index: int, slug: str):
        rng = self.rng(index)
        neighbourhood = self.neighbourhood_for(index)
        municipality = neighbourhood.municipality
        experiment_type = self.experiment_type_for(index)
        themes = rng.sample(self.vocab.themes, rng.randint(1, 2))
        source_id = self.experiment_by_place_and_type.get((municipality.pk, experiment_type.pk))
        start, _end = self.dates(rng)
        project = rng.choice(PROJECT_NAMES)
        page = PracticePage(
            title=f"Goede praktijk: {project} in {neighbourhood.name}",
            slug=slug,
            municipality=municipality,
            summary=f"{FICTION_NOTE} Hoe {neighbourhood.name} met {experiment_type.name.lower()} "
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
            image=rng.choice(self.images),
            document=rng.choice(self.documents),
            live=True,
            first_published_at=self.published_at(start),
            last_published_at=self.published_at(start),
        )
        page.neighbourhoods = [neighbourhood]
        page.themes = themes
        self.practice_parents[municipality.pk].add_child(instance=page)
        page.tags.add(*rng.sample(TAGS, 2))

    def make_evaluation(self, index: int, slug: str):
        rng = self.rng(index)
        experiment_ids = self.first_experiment_ids
        evaluated = rng.sample(experiment_ids, min(len(experiment_ids), rng.randint(1, 2)))
        experiments = list(
            ExperimentPage.objects.filter(pk__in=evaluated).prefetch_related("themes")
        )
        themes = sorted({t for e in experiments for t in e.themes.all()}, key=lambda t: t.pk)
        kind = rng.choice(list(EvaluationKind))
        method = rng.choice(list(EvaluationMethod))
        published = dt.date(rng.randint(2009, 2013), rng.randint(1, 12), rng.randint(1, 28))
        names = ", ".join(e.title for e in experiments)
        page = EvaluationPage(
            title=f"{kind.label.capitalize()}: {names[:180]}",
            slug=slug,
            summary=f"{FICTION_NOTE} {kind.label.capitalize()} van {names[:300]}.",
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

    def make_expertise(self, index: int, slug: str):
        rng = self.rng(index)
        centre = self.vocab.centres[rank_within_kind(index) % len(self.vocab.centres)]
        # Questions and answers come only from the question desk, never from the demo.
        kind = rng.choice(DEMO_EXPERTISE_KINDS)
        themes = rng.sample(self.vocab.themes, rng.randint(1, 2))
        types = rng.sample(self.vocab.types, rng.randint(0, 2))
        published = dt.date(rng.randint(2008, 2013), rng.randint(1, 12), rng.randint(1, 28))
        subject = themes[0].name.lower()
        page = ExpertisePage(
            title=f"{kind.label.capitalize()} {subject}: {rng.choice(PROJECT_NAMES)}",
            slug=slug,
            knowledge_centre=centre,
            kind=kind,
            summary=f"{FICTION_NOTE} {centre.abbreviation} bundelt wat bekend is over {subject} in de krachtwijken.",
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


def minimal_pdf(title: str) -> bytes:
    """A small valid one-page PDF with the title on it, written by hand (no downloads)."""
    text = title.replace("\\", "").replace("(", "").replace(")", "")
    stream = f"BT /F1 18 Tf 72 720 Td ({text} - fictief demodocument) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()
