from django.urls import path

from sessions_app.views import measures

urlpatterns = [
    path("instruments/", measures.instrument_list, name="instrument_list"),
    path("instruments/new/", measures.instrument_new, name="instrument_create"),
    path("instruments/<int:pk>/toggle/", measures.instrument_toggle, name="instrument_toggle"),
    path("clients/<int:pk>/ratings/new/", measures.rating_new, name="rating_create"),
]
