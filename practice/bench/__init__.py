"""The page benchmark: a practice of a chosen size, and timing its daily pages under gunicorn."""
