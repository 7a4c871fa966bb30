from django.urls import path

from shelter.site import views

# The namespace keeps its first name: every page links to "web:dashboard", "web:search"...
app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("search/", views.search_all, name="search"),
    path("autocomplete/<str:kind>/", views.autocomplete, name="autocomplete"),
    path("records/<str:kind>/<int:pk>/revert/<int:history_id>/", views.revert, name="revert"),
    path("records/<str:kind>/<int:pk>/delete/", views.delete, name="delete"),
]
