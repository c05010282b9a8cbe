from django.urls import include, path

from accord.api import api
from accord.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("accounts/", include("allauth.urls")),
    path("account/", include("accord.accounts.urls")),
    path("", include("accord.insights.urls")),
    path("", include("accord.exchange.urls")),
    path("", include("accord.partnerships.urls")),
    path("", include("accord.assessments.urls")),
    path("", include("accord.charters.urls")),
    path("", include("accord.rituals.urls")),
    path("", include("accord.tensions.urls")),
    path("", include("accord.alignment.urls")),
    path("", include("accord.orgs.urls")),
    path("api/v1/", api.urls),
]
