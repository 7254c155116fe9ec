from .checkins.urls import urlpatterns as checkin_patterns
from .urls_groups import urlpatterns as group_patterns
from .urls_measures import urlpatterns as measure_patterns
from .urls_sessions import urlpatterns as session_patterns

urlpatterns = session_patterns + group_patterns + measure_patterns + checkin_patterns
