from django.urls import path

from accord.tensions import views

T = "p/<int:pid>/tensions/<int:tid>"
J = "p/<int:pid>/journal/<int:jid>"

urlpatterns = [
    path("p/<int:pid>/tensions/", views.tension_list, name="tensions-list"),
    path(f"{T}/", views.tension_detail, name="tensions-detail"),
    path(f"{T}/live/", views.tension_live, name="tensions-live"),
    path(f"{T}/perspective/", views.perspective_write, name="tensions-perspective-write"),
    path(f"{T}/resolve/", views.tension_resolve, name="tensions-resolve"),
    path(f"{T}/resolution/agree/", views.tension_resolution_agree, name="tensions-resolution-agree"),
    path(f"{T}/amendments/new/", views.perspective_amend, name="tensions-perspective-amend"),
    path(f"{T}/reveal/", views.tension_reveal, name="tensions-reveal"),
    path(f"{T}/reads/", views.guess_rate, name="tensions-guess-rate"),
    path("p/<int:pid>/journal/", views.journal, name="tensions-journal"),
    path(f"{J}/share/", views.journal_share, name="tensions-journal-share"),
    path(f"{J}/private/", views.journal_private, name="tensions-journal-private"),
    path(f"{J}/edit/", views.journal_edit, name="tensions-journal-edit"),
    path(f"{J}/delete/", views.journal_delete, name="tensions-journal-delete"),
    path(f"{J}/bring/one-on-one/", views.journal_bring_one_on_one, name="tensions-journal-bring-one-on-one"),
    path(f"{J}/bring/retro/", views.journal_bring_retro, name="tensions-journal-bring-retro"),
]
