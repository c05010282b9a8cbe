from django.urls import path

from accord.rituals import views, views_meeting

M = "p/<int:pid>/iterate/meetings/<int:mid>"
A = f"{M}/agenda-items/<int:item_id>"
C = f"{M}/cards/<int:cid>"

urlpatterns = [
    path("p/<int:pid>/iterate/", views.rituals_home, name="rituals-home"),
    path("p/<int:pid>/iterate/plan/", views.meeting_plan, name="rituals-plan"),
    path("p/<int:pid>/iterate/format/", views.retro_format, name="rituals-format"),
    path(f"{M}/", views_meeting.meeting_detail, name="rituals-meeting"),
    path(f"{M}/live/", views_meeting.retro_live, name="rituals-live"),
    path(f"{M}/one-on-one/live/", views_meeting.one_on_one_live, name="rituals-one-on-one-live"),
    path(f"{M}/notes/", views_meeting.meeting_notes, name="rituals-meeting-notes"),
    path(f"{M}/reschedule/", views_meeting.meeting_reschedule, name="rituals-meeting-reschedule"),
    path(f"{M}/cancel/", views_meeting.meeting_cancel, name="rituals-meeting-cancel"),
    path(f"{M}/complete/", views_meeting.meeting_complete, name="rituals-meeting-complete"),
    path(f"{M}/agenda-items/new/", views_meeting.agenda_item_add, name="rituals-agenda-item-add"),
    path(f"{A}/discussed/", views_meeting.agenda_item_discussed, name="rituals-agenda-item-discussed"),
    path(f"{A}/up/", views_meeting.agenda_item_up, name="rituals-agenda-item-up"),
    path(f"{A}/down/", views_meeting.agenda_item_down, name="rituals-agenda-item-down"),
    path(f"{A}/delete/", views_meeting.agenda_item_delete, name="rituals-agenda-item-delete"),
    path(f"{M}/cards/new/", views_meeting.card_add, name="rituals-card-add"),
    path(f"{M}/reveal/", views_meeting.meeting_reveal, name="rituals-reveal"),
    path(f"{M}/phase/", views_meeting.meeting_phase, name="rituals-phase"),
    path(f"{C}/group/", views_meeting.card_group, name="rituals-card-group"),
    path(f"{C}/ungroup/", views_meeting.card_ungroup, name="rituals-card-ungroup"),
    path(f"{C}/votes/new/", views_meeting.vote_add, name="rituals-vote-add"),
    path(f"{C}/votes/remove/", views_meeting.vote_remove, name="rituals-vote-remove"),
    path(f"{C}/delete/", views_meeting.card_delete, name="rituals-card-delete"),
    path(f"{M}/groups/<int:gid>/rename/", views_meeting.card_group_rename, name="rituals-group-rename"),
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
