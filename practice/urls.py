from django.contrib.auth import views as auth_views
from django.urls import include, path

from practice.signin import views
from practice.signin.forms import SignInForm

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("supervision/", include("practice.supervision.urls")),
    path("practice-admin/", include("practice.administration.urls")),
    path("reports/", include("practice.reports.urls")),
    path("", include("practice.caseload.urls")),
    path("", include("clients.urls")),
    path("", include("sessions_app.urls")),
    path("", include("termination.urls")),
    path("", include("termination.urls_documents")),
    path("", include("practice.reminders.urls")),
    path(
        "account/login/",
        auth_views.LoginView.as_view(
            authentication_form=SignInForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("account/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "account/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("account/password-reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "account/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "account/password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "account/password-reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("account/language/", views.language_switch, name="language_switch"),
    path("account/profile/", views.profile, name="profile"),
    path("account/mfa/", views.mfa_setup, name="mfa_setup"),
    path("account/mfa/verify/", views.mfa_verify, name="mfa_verify"),
    path("account/mfa/disable/", views.mfa_disable, name="mfa_disable"),
]
