"""The addresses of the places: a wijk, a gemeente, an experiment type, the overview, and a
search with its filters fixed. The one place these URLs are made; templates ({% wijk_url %}
and friends in site_tags), the sitemap, the API, the search's "Direct naar" links and the
alerts' e-mails all ask here.

The wijk and experiment-type addresses hang below their routable index pages, wherever the
page tree puts those: without a live index page a place has no address (None)."""

from django.apps import apps
from django.urls import reverse
from django.utils.http import urlencode

# The index pages' own views use these links too, so their models are found through the app
# registry by name (places.models imports this module).
WIJKEN, TYPES = "NeighbourhoodIndexPage", "ExperimentTypeIndexPage"


def search_url(query_string: str = "", **params) -> str:
    """/zoeken/ with a (normalised) query string and/or parameters fixed, e.g.
    `search_url(thema="veiligheid")`."""
    query = "&".join(part for part in (query_string, urlencode(params)) if part)
    return f"{reverse('search')}?{query}" if query else reverse("search")


class PlaceLinks:
    """The places' addresses for one request (or none). Each index page is looked up once.

    public: only an index page without a view restriction counts (the API, the sitemap);
    within: only index pages in this part of the tree (a site's root page);
    full: absolute URLs (the index page's get_full_url)."""

    def __init__(self, request=None, *, public=False, within=None, full=False):
        self.request, self.public, self.within, self.full = request, public, within, full
        self._bases = {}

    @classmethod
    def for_request(cls, request) -> "PlaceLinks":
        """One instance per request, for the template tags of every template it renders."""
        if request is None:
            return cls()
        if not hasattr(request, "_place_links"):
            request._place_links = cls(request)
        return request._place_links

    def serving(self, index_page) -> "PlaceLinks":
        """Links from the index page being served, itself (also a preview of one that is not
        live yet), without looking it up."""
        self._bases[type(index_page).__name__] = (index_page, index_page.get_url(self.request))
        return self

    def _index(self, model_name: str):
        """(index page, its URL) of the places model `model_name`, or None when there is no
        live one."""
        if model_name not in self._bases:
            pages = apps.get_model("places", model_name).objects.live()
            if self.public:
                pages = pages.public()
            if self.within is not None:
                pages = pages.descendant_of(self.within, inclusive=True)
            page = pages.first()
            if page is None:
                self._bases[model_name] = None
            else:
                get_url = page.get_full_url if self.full else page.get_url
                self._bases[model_name] = (page, get_url(self.request))
        return self._bases[model_name]

    def _route(self, model_name: str, route: str, *args) -> str | None:
        index = self._index(model_name)
        if index is None:
            return None
        page, base = index
        return base + page.reverse_subpage(route, args=list(args))

    def neighbourhood(self, neighbourhood) -> str | None:
        return self._route(
            WIJKEN,
            "neighbourhood",
            neighbourhood.municipality.slug,
            neighbourhood.slug,
        )

    def municipality(self, municipality) -> str | None:
        return self._route(WIJKEN, "municipality", municipality.slug)

    def overview(self) -> str | None:
        return self._route(WIJKEN, "overview")

    def experiment_type(self, experiment_type) -> str | None:
        return self._route(TYPES, "experiment_type", experiment_type.slug)
