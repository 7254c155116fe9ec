from django.urls import path

from practice.supervision import views as supervision

urlpatterns = [
    path("", supervision.review_board, name="supervisor_home"),
    path("cosign/", supervision.cosign_queue, name="supervision_cosign_queue"),
    path("approvals/", supervision.approval_queue, name="supervision_approval_queue"),
    path("counselors/<int:pk>/", supervision.counselor_review, name="supervision_counselor"),
    path(
        "counselors/<int:pk>/caseload/",
        supervision.supervisee_caseload,
        name="supervision_caseload",
    ),
    path(
        "counselors/<int:pk>/caseload.csv",
        supervision.supervisee_caseload_csv,
        name="supervision_caseload_csv",
    ),
    path("clients/<int:pk>/", supervision.client_review, name="supervision_client"),
    path("clients/<int:pk>/comments/", supervision.comment_add, name="supervision_comment_add"),
    path(
        "clients/<int:pk>/reviewed/", supervision.chart_reviewed, name="supervision_chart_reviewed"
    ),
]
