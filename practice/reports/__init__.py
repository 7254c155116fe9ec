"""How the practice's endings go: outcome reports for counselors, supervisors and the admin.

Every figure is aggregated in the database (selectors/); statistics.py holds the pure arithmetic
(confidence intervals), suppression.py the admin's small-cell rule, charts.py the SVG geometry.
"""
