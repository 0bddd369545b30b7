"""sitemap.xml: every live, public page of the page tree (Wagtail's sitemap), plus the pages
the routable index pages make from the vocabulary (/wijken/<gemeente>/<wijk>/,
/experimenttypen/<type>/) and the search page. Drafts, private pages and withdrawn
registrations (which are unpublished) are not in it."""

from django.urls import reverse
from wagtail.contrib.sitemaps import Sitemap as PageSitemap

from vocabulary.models import ExperimentType, Municipality, Neighbourhood


class VocabularySitemap(PageSitemap):
    """URLs that are not pages of the tree. Full URLs from the same Wagtail site root as the
    page sitemap, so both parts agree on the host."""

    def items(self):
        from places.models import ExperimentTypeIndexPage, NeighbourhoodIndexPage

        site = self.get_wagtail_site()
        root = site.root_page
        urls = [site.root_url + reverse("search")]
        wijken = (
            NeighbourhoodIndexPage.objects.live()
            .public()
            .descendant_of(root, inclusive=True)
            .first()
        )
        if wijken is not None:
            base = wijken.get_full_url(self.request)
            urls.append(base + wijken.reverse_subpage("overview"))
            urls += [base + m.slug + "/" for m in Municipality.objects.order_by("slug")]
            urls += [
                f"{base}{municipality}/{slug}/"
                for municipality, slug in Neighbourhood.objects.order_by(
                    "municipality__slug", "slug"
                ).values_list("municipality__slug", "slug")
            ]
        types = (
            ExperimentTypeIndexPage.objects.live()
            .public()
            .descendant_of(root, inclusive=True)
            .first()
        )
        if types is not None:
            base = types.get_full_url(self.request)
            urls += [
                base + slug + "/"
                for slug in ExperimentType.objects.order_by("slug").values_list("slug", flat=True)
            ]
        return urls

    def _urls(self, page, protocol, domain):
        return [{"item": url, "location": url} for url in self.paginator.page(page).object_list]


SITEMAPS = {"pages": PageSitemap, "overviews": VocabularySitemap}
