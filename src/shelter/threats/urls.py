from django.urls import path  # noqa: F401

app_name = "threats"
urlpatterns: list = []  # type: ignore[type-arg]
