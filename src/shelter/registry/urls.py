from django.urls import path

from shelter.registry import views

app_name = "registry"
urlpatterns = [
    path("people/", views.people, name="people"),
    path("people/new/", views.person_edit, name="person_new"),
    path("people/similar/", views.similar, name="similar"),
    path("people/duplicates/", views.duplicates, name="duplicates"),
    path("people/<int:pk>/", views.person, name="person"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("organisations/", views.organisations, name="organisations"),
    path("organisations/new/", views.organisation_edit, name="organisation_new"),
    path("organisations/<int:pk>/", views.organisation, name="organisation"),
    path("organisations/<int:pk>/edit/", views.organisation_edit, name="organisation_edit"),
    path("relationships/new/", views.relationship_edit, name="relationship_new"),
    path("relationships/<int:pk>/edit/", views.relationship_edit, name="relationship_edit"),
]
