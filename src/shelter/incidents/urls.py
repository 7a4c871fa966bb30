from django.urls import path

from shelter.incidents import views

app_name = "incidents"
urlpatterns = [
    path("", views.incidents, name="list"),
    path("new/", views.incident_edit, name="new"),
    path("<int:pk>/", views.incident, name="incident"),
    path("<int:pk>/edit/", views.incident_edit, name="edit"),
    path("sources/", views.sources, name="sources"),
    path("sources/new/", views.source_edit, name="source_new"),
    path("sources/<int:pk>/", views.source, name="source"),
    path("sources/<int:pk>/edit/", views.source_edit, name="source_edit"),
    path("sources/<int:pk>/evidence/", views.evidence, name="evidence"),
]
