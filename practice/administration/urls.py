from django.urls import path

from practice.administration.views import audit, directory, home, instruments, policy, staff

urlpatterns = [
    path("", home.admin_home, name="admin_home"),
    path("policy/", policy.policy_page, name="admin_policy"),
    path("staff/", staff.staff_list, name="admin_staff"),
    path("staff/invite/", staff.staff_invite, name="admin_staff_invite"),
    path("staff/<int:pk>/", staff.staff_detail, name="admin_staff_detail"),
    path(
        "staff/<int:pk>/invite-again/",
        staff.staff_invite_again,
        name="admin_staff_invite_again",
    ),
    path("staff/<int:pk>/deactivate/", staff.staff_deactivate, name="admin_staff_deactivate"),
    path("staff/<int:pk>/reactivate/", staff.staff_reactivate, name="admin_staff_reactivate"),
    path("staff/<int:pk>/mfa-reset/", staff.staff_mfa_reset, name="admin_staff_mfa_reset"),
    path(
        "staff/<int:pk>/supervision/new/",
        staff.supervision_add,
        name="admin_supervision_add",
    ),
    path("supervision/<int:pk>/end/", staff.supervision_end, name="admin_supervision_end"),
    path("clients/", directory.client_directory, name="admin_clients"),
    path("instruments/", instruments.instrument_library, name="admin_instruments"),
    path("instruments/<int:pk>/copy/", instruments.instrument_copy, name="admin_instrument_copy"),
    path("audit/", audit.audit_search, name="admin_audit"),
    path("audit.csv", audit.audit_export, name="admin_audit_csv"),
]
