"""The bench's URLs: the floors, then the whole project."""

from django.urls import include, path

from tests.bench import floors

urlpatterns = [
    path("bench/ok", floors.ok),
    path("bench/floor/directory/partners", floors.FloorPartners.as_view()),
    path("bench/floor/directory/facets", floors.FloorFacets.as_view()),
    path("bench/floor/lists/", include("tests.bench.floors_lists")),
    path("", include("config.urls")),
]
