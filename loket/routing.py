"""The default theme → knowledge centre routing of the question desk. Editors change it in the
admin ("Question desk" → "Routing by theme"); this only fills in what is missing.

- veiligheid → CCV (crime prevention and safety)
- gezondheid → RIVM (public health and prevention; Centrum Gezond Leven)
- integreren → Forum (integration and multicultural issues)
- wonen → SEV (experiments in housing)
- werken → Movisie (the social domain: participation, social interventions)
- leren-en-opgroeien → NICIS (urban issues for and with the cities, education and youth
  among them; none of the seven centres is a youth or education institute)

A theme without a route (a new theme, or one whose centre is gone) sends its questions to the
moderators, who forward them: better a person deciding than a guess."""

DEFAULT_ROUTES = {
    "veiligheid": "ccv",
    "gezondheid": "rivm",
    "integreren": "forum",
    "wonen": "sev",
    "werken": "movisie",
    "leren-en-opgroeien": "nicis",
}


def add_default_routes(ThemeRoute, Theme, KnowledgeCentre) -> int:
    """Create the default route of every theme that has none, where both ends exist. Never
    changes a route an editor has set. Returns how many were created. Takes the model classes,
    so a data migration can call it with its historical models."""
    themes = {t.slug: t for t in Theme.objects.filter(slug__in=DEFAULT_ROUTES)}
    centres = {c.slug: c for c in KnowledgeCentre.objects.filter(slug__in=DEFAULT_ROUTES.values())}
    routed = set(ThemeRoute.objects.values_list("theme_id", flat=True))
    created = 0
    for theme_slug, centre_slug in DEFAULT_ROUTES.items():
        theme, centre = themes.get(theme_slug), centres.get(centre_slug)
        if theme is None or centre is None or theme.pk in routed:
            continue
        ThemeRoute.objects.create(theme=theme, knowledge_centre=centre)
        created += 1
    return created
