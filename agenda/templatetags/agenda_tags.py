"""The agenda on other pages: `{% events_about page %}` lists the published events whose report
links to a kennisbank page (or an experiment), so a practice leads back to where it was shown."""

from django import template

from agenda.models import EventPage

register = template.Library()


@register.inclusion_tag("agenda/includes/events_about.html")
def events_about(page):
    if not getattr(page, "pk", None):  # a preview of a page never saved
        return {"events": []}
    events = (
        EventPage.objects.live()
        .public()
        .filter(knowledge_links__page_id=page.pk)
        .distinct()
        .order_by("-starts_at")
    )
    return {"events": list(events)}
