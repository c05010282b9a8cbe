from django.urls import path

from accord.rituals import views

urlpatterns = [
    path("p/<int:pid>/iterate/", views.rituals_home, name="rituals-home"),
    path("p/<int:pid>/iterate/plan/", views.meeting_plan, name="rituals-plan"),
    path("p/<int:pid>/iterate/format/", views.retro_format, name="rituals-format"),
    path("p/<int:pid>/iterate/meetings/<int:mid>/", views.meeting_detail, name="rituals-meeting"),
    path("p/<int:pid>/iterate/meetings/<int:mid>/update/", views.meeting_update, name="rituals-meeting-update"),
    path("p/<int:pid>/iterate/meetings/<int:mid>/agenda/", views.agenda_action, name="rituals-agenda"),
    path("p/<int:pid>/iterate/meetings/<int:mid>/live/", views.retro_live, name="rituals-live"),
    path("p/<int:pid>/iterate/meetings/<int:mid>/retro/<slug:action>/", views.retro_action, name="rituals-retro"),
    path("p/<int:pid>/iterate/actions/", views.action_items, name="rituals-actions"),
    path("p/<int:pid>/iterate/actions/new/", views.action_item_create, name="rituals-action-new"),
    path("p/<int:pid>/iterate/actions/<int:aid>/toggle/", views.action_item_toggle, name="rituals-action-toggle"),
    path("p/<int:pid>/iterate/experiments/", views.experiments, name="rituals-experiments"),
    path("p/<int:pid>/iterate/experiments/<int:eid>/", views.experiment_detail, name="rituals-experiment"),
    path(
        "p/<int:pid>/iterate/experiments/<int:eid>/charter/",
        views.experiment_to_charter,
        name="rituals-experiment-charter",
    ),
]
