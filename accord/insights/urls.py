from django.urls import path

from accord.insights import views

urlpatterns = [
    path("p/<int:pid>/", views.partnership_home, name="partnerships-detail"),
    path("p/<int:pid>/handover/", views.handover, name="insights-handover"),
    path("p/<int:pid>/review/", views.report, name="insights-report"),
    path("p/<int:pid>/health.csv", views.health_csv, name="insights-health-csv"),
]
