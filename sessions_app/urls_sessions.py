from django.urls import path

from sessions_app.views import notes, sessions

urlpatterns = [
    path("agenda/", sessions.agenda, name="agenda"),
    path("sessions/new/", sessions.session_new, name="session_new"),
    path("sessions/<int:pk>/", sessions.session_detail, name="session_detail"),
    path("sessions/<int:pk>/reschedule/", sessions.session_reschedule, name="session_reschedule"),
    path("sessions/<int:pk>/status/", sessions.session_status, name="session_status"),
    path("sessions/<int:pk>/note/", notes.session_note, name="session_note"),
    path("notes/<int:pk>/", notes.note_detail, name="note_detail"),
    path("notes/<int:pk>/addenda/", notes.note_addendum, name="note_addendum"),
    path("notes/<int:pk>/cosign/", notes.note_cosign, name="note_cosign"),
    path("notes/<int:pk>/return/", notes.note_return, name="note_return"),
]
