"""The kinds of public page every page-level check runs on (axe at three widths, sideways
scrolling on phones): tests/browser/prepare_site.py finds one address of each in the site's
database (by model and route, never by a demo slug) and the tests parametrise over these names.
Two kinds are reached by sending the question form (empty, and filled in), not by an address."""

PAGE_TYPES = (
    "home",
    "search",
    "search-filtered",
    "experiment-index",
    "experiment-section",
    "experiment",
    "experiment-as-registered",
    "experiment-version",
    "experiment-withdrawn",
    "practice-index",
    "practice-section",
    "practice",
    "evaluation-index",
    "evaluation",
    "kennisbank",
    "knowledge-centre-index",
    "knowledge-centre",
    "expertise",
    "wijken-index",
    "gemeente",
    "wijk",
    "overview",
    "experiment-type-index",
    "experiment-type",
    "programme-index",
    "programme-section",
    "action-plan",
    "charter",
    "national-monitor",
    "barrier-index",
    "barrier",
    # The agenda (issue 18): the list, a past event with its report, a coming one with the
    # registration form, that form on its own page, a cancelled event, "check your mail".
    "agenda",
    "event-past",
    "event-upcoming",
    "event-register",
    "event-cancelled",
    "registration-sent",
    # The people (issue 18): the pool, a profile, its contact form, the sign-up, the alliance.
    "experts",
    "expert",
    "expert-contact",
    "expert-signup",
    "alliance",
    "alliance-organisation",
    "loket",
    "alerts-subscribe",
    "alerts-sent",
    "open-data",
    "statement",
    "not-found",
)
SENT_FORMS = ("loket-errors", "loket-thanks")

# What these pages answer; every other one answers 200.
STATUS = {"experiment-withdrawn": 410, "not-found": 404}
