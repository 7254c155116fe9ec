"""The reports' reads. Every figure is aggregated in the database: counts come from GROUP BY and
filtered aggregates, first-against-latest and last-sessions from window functions; nothing loads
ratings or endings one by one into Python."""
