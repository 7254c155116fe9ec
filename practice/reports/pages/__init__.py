"""What each report page shows, built by plain functions from the selectors' figures: sections
of charts, tables and sentences. Views render these; tests call them directly."""
