from django.urls import path

from clients.views import consents, goals, records

urlpatterns = [
    path("clients/", records.client_search, name="client_search"),
    path("clients/new/", records.client_create_view, name="client_create"),
    path("clients/<int:pk>/edit/", records.client_edit, name="client_edit"),
    path("clients/<int:pk>/transfer/", records.client_transfer_view, name="client_transfer"),
    path("clients/<int:pk>/cover/", records.client_cover, name="client_cover"),
    path("clients/<int:pk>/consents/new/", consents.consent_create, name="consent_create"),
    path(
        "clients/<int:pk>/consents/<int:consent_pk>/revoke/",
        consents.consent_revoke_view,
        name="consent_revoke",
    ),
    path("clients/<int:pk>/disclosure/", consents.disclosure_check, name="disclosure_check"),
    path("clients/<int:pk>/goals/new/", goals.goal_create_view, name="goal_create"),
    path("clients/<int:pk>/plan-review/", goals.plan_review, name="plan_review"),
    path("goals/<int:pk>/edit/", goals.goal_edit, name="goal_edit"),
    path("goals/<int:pk>/progress/", goals.goal_progress, name="goal_progress"),
]
