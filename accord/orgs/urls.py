from django.urls import path

from accord.orgs import views

urlpatterns = [
    path("orgs/", views.org_list, name="orgs-list"),
    path("orgs/<int:oid>/", views.org_portfolio, name="orgs-portfolio"),
    path("orgs/<int:oid>/invite/", views.org_invite, name="orgs-invite"),
    path("orgs/<int:oid>/partnerships/<int:pid>/", views.org_partnership_figures, name="orgs-figures"),
    path("orgs/<int:oid>/access-invitations/", views.org_access_invite, name="orgs-access-invite"),
    path("orgs/<int:oid>/templates/", views.org_template_create, name="orgs-template-new"),
    path("org-invite/<str:token>/", views.org_invitation, name="orgs-invitation"),
    path("p/<int:pid>/coach-access/", views.partnership_access, name="orgs-access"),
    path("p/<int:pid>/coach-access/grant/", views.access_grant, name="orgs-access-grant"),
    path("p/<int:pid>/coach-access/answer/", views.access_answer, name="orgs-access-answer"),
    path("p/<int:pid>/coach-access/revoke/", views.access_revoke, name="orgs-access-revoke"),
    path("p/<int:pid>/coach-access/templates/adopt/", views.template_adopt, name="orgs-template-adopt"),
]
