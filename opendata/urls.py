"""/api/v1/: no trailing slashes (NL API Design Rules, API-48), except the root itself.
Anything else under /api/v1/ is a problem+json 404 (or a redirect without the slash)."""

from django.urls import path, re_path

from . import views

app_name = "opendata"

urlpatterns = [
    path("", views.root, name="root"),
    path("openapi.json", views.openapi, name="openapi"),
    path("zoeken", views.search_list, name="search"),
    path("experimenten", views.experiment_list, name="experiments"),
    path("experimenten/<str:number>", views.experiment_detail, name="experiment"),
    path("intrekkingen", views.withdrawal_list, name="withdrawals"),
    path("praktijken", views.practice_list, name="practices"),
    path("praktijken/<str:municipality>/<str:slug>", views.practice_detail, name="practice"),
    path("evaluaties", views.evaluation_list, name="evaluations"),
    path("evaluaties/<str:slug>", views.evaluation_detail, name="evaluation"),
    path("kennisproducten", views.expertise_list, name="expertise_list"),
    path("kennisproducten/<str:centre>/<str:slug>", views.expertise_detail, name="expertise"),
    path("wijkactieplannen", views.action_plan_list, name="action_plans"),
    path(
        "wijkactieplannen/<str:municipality>/<str:slug>",
        views.action_plan_detail,
        name="action_plan",
    ),
    path("charters", views.charter_list, name="charters"),
    path("charters/<str:municipality>", views.charter_detail, name="charter"),
    path("belemmeringen", views.barrier_list, name="barriers"),
    path("belemmeringen/<str:slug>", views.barrier_detail, name="barrier"),
    path("bijeenkomsten", views.event_list, name="events"),
    path("bijeenkomsten/<str:slug>", views.event_detail, name="event"),
    path("gemeenten", views.municipality_list, name="municipalities"),
    path("gemeenten/<str:slug>", views.municipality_detail, name="municipality"),
    path("wijken", views.neighbourhood_list, name="neighbourhoods"),
    path("wijken/<str:municipality>/<str:slug>", views.neighbourhood_detail, name="neighbourhood"),
    path("themas", views.theme_list, name="themes"),
    path("themas/<str:slug>", views.theme_detail, name="theme"),
    path("experimenttypen", views.experiment_type_list, name="experiment_types"),
    path("experimenttypen/<str:slug>", views.experiment_type_detail, name="experiment_type"),
    path("erkenningsniveaus", views.recognition_level_list, name="recognition_levels"),
    path("erkenningsniveaus/<str:slug>", views.recognition_level_detail, name="recognition_level"),
    path("kenniscentra", views.knowledge_centre_list, name="knowledge_centres"),
    path("kenniscentra/<str:slug>", views.knowledge_centre_detail, name="knowledge_centre"),
    re_path(r"^(?P<path>.*)$", views.not_found, name="not_found"),
]
