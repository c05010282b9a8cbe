from django.urls import path

from accord.exchange import views

urlpatterns = [
    path("p/<int:pid>/export.json", views.export, name="insights-export"),
]
