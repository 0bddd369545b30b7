"""sitemap.xml: every live, public page of the page tree (Wagtail's sitemap), plus the pages
the routable index pages make from the vocabulary (/wijken/<gemeente>/<wijk>/,
/experimenttypen/<type>/) and the search page. Drafts, private pages and withdrawn
registrations (which are unpublished) are not in it."""

from django.urls import reverse
from wagtail.contrib.sitemaps import Sitemap as PageSitemap

from places.links import PlaceLinks
from vocabulary.models import ExperimentType, Municipality, Neighbourhood


class VocabularySitemap(PageSitemap):
    """URLs that are not pages of the tree. Full URLs from the same Wagtail site root as the
    page sitemap, so both parts agree on the host."""

    def items(self):
        site = self.get_wagtail_site()
        links = PlaceLinks(self.request, public=True, within=site.root_page, full=True)
        urls = [site.root_url + reverse("search")]
        if links.overview() is not None:
            urls.append(links.overview())
            urls += [links.municipality(m) for m in Municipality.objects.order_by("slug")]
            urls += [
                links.neighbourhood(n)
                for n in Neighbourhood.objects.select_related("municipality").order_by(
                    "municipality__slug", "slug"
                )
            ]
        urls += [
            url
            for url in map(links.experiment_type, ExperimentType.objects.order_by("slug"))
            if url is not None
        ]
        return urls

    def _urls(self, page, protocol, domain):
        return [{"item": url, "location": url} for url in self.paginator.page(page).object_list]


SITEMAPS = {"pages": PageSitemap, "overviews": VocabularySitemap}
