from django.urls import path

from accord.accounts import views

urlpatterns = [
    path("", views.account, name="accounts-account"),
    path("tokens/", views.token_create, name="accounts-token-create"),
    path("tokens/<int:token_id>/revoke/", views.token_revoke, name="accounts-token-revoke"),
    path("calendar/regenerate/", views.calendar_regenerate, name="accounts-calendar-regenerate"),
]
