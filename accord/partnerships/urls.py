from django.urls import path

from accord.partnerships import views

urlpatterns = [
    path("p/new/", views.partnership_create, name="partnerships-create"),
    path("p/<int:pid>/settings/", views.partnership_settings, name="partnerships-settings"),
    path("p/<int:pid>/team-page/regenerate/", views.team_page_regenerate, name="partnerships-team-page-regenerate"),
    path("p/<int:pid>/invitations/", views.invitation_create, name="partnerships-invite"),
    path(
        "p/<int:pid>/invitations/<int:invitation_id>/revoke/",
        views.invitation_revoke,
        name="partnerships-invitation-revoke",
    ),
    path("p/<int:pid>/leave/", views.partnership_leave, name="partnerships-leave"),
    path("invite/<str:token>/", views.invitation, name="partnerships-invitation"),
]
