from django.urls import path

from termination.relapse_views import relapse_signal_respond_view
from termination.views import steps, summary, workspace

urlpatterns = [
    path("relapse-signals/<int:pk>/", relapse_signal_respond_view, name="relapse_signal_respond"),
    path("clients/<int:client_pk>/ending/new/", steps.termination_open, name="termination_open"),
    path("endings/<int:pk>/", workspace.workspace, name="termination_workspace"),
    path("endings/<int:pk>/notice/", steps.notice, name="termination_notice"),
    path("endings/<int:pk>/reasons/", steps.reasons, name="termination_reasons"),
    path("endings/<int:pk>/referrals/new/", steps.referral_add, name="termination_referral"),
    path("endings/<int:pk>/relapse-plan/", steps.relapse_plan, name="termination_relapse_plan"),
    path("endings/<int:pk>/tapering/", steps.tapering, name="termination_tapering"),
    path("endings/<int:pk>/outreach/", steps.outreach, name="termination_outreach"),
    path(
        "endings/<int:pk>/closing-letter/", steps.closing_letter, name="termination_closing_letter"
    ),
    path("endings/<int:pk>/summary/", summary.summary_edit, name="termination_summary"),
    path(
        "endings/<int:pk>/summary/approve/",
        summary.summary_approve,
        name="termination_summary_approve",
    ),
    path(
        "endings/<int:pk>/summary/return/",
        summary.summary_return,
        name="termination_summary_return",
    ),
    path(
        "endings/<int:pk>/summary/addendum/",
        summary.summary_addendum,
        name="termination_summary_addendum",
    ),
    path("endings/<int:pk>/close/", steps.close, name="termination_close"),
    path(
        "endings/<int:pk>/follow-ups/<int:follow_up_pk>/",
        steps.follow_up,
        name="termination_follow_up",
    ),
    path("endings/<int:pk>/reopen/", steps.reopen, name="termination_reopen"),
    path("endings/<int:pk>/withdraw/", steps.withdraw, name="termination_withdraw"),
    path("providers/", workspace.provider_list, name="provider_list"),
    path("providers/new/", workspace.provider_edit, name="provider_create"),
    path("providers/<int:pk>/edit/", workspace.provider_edit, name="provider_edit"),
    path(
        "counselors/<int:user_pk>/departure/",
        workspace.counselor_departure,
        name="counselor_departure",
    ),
]
