from sessions_app.checkins.urls import urlpatterns as checkin_patterns
from sessions_app.urls_groups import urlpatterns as group_patterns
from sessions_app.urls_measures import urlpatterns as measure_patterns
from sessions_app.urls_sessions import urlpatterns as session_patterns

urlpatterns = session_patterns + group_patterns + measure_patterns + checkin_patterns
