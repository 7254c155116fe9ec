"""Trend charts as inline SVG, and the measures part of the client page."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from sessions_app.charts import MOST_DOTS, trend_chart
from sessions_app.models import Rating
from sessions_app.services import rating_record
from tests.factories import instrument

TODAY = timezone.localdate


def alliance_chart(totals=(36, 33, 27, 35), flagged=(False, True, True, False)):
    start = dt.date(2026, 1, 5)
    return trend_chart(
        title="Alliance: Alliance check-in",
        instrument_name="Alliance",
        values=[
            (start + dt.timedelta(days=7 * n), Decimal(total), flag)
            for n, (total, flag) in enumerate(zip(totals, flagged, strict=True))
        ],
        low=Decimal(0),
        high=Decimal(40),
        cutoff=Decimal(30),
        higher_is_better=True,
    )


def one_outcome_rating_chart():
    return trend_chart(
        title="Outcome: Made-up",
        instrument_name="MU",
        values=[(dt.date(2026, 1, 5), Decimal("1.5"), False)],
        low=Decimal(0),
        high=Decimal(4),
        cutoff=None,
        higher_is_better=False,
    )


def svg_of(html: str) -> str:
    return re.search(r"<svg.*?</svg>", html, re.S).group(0)


def test_the_chart_is_an_accessible_image():
    html = render_to_string("sessions_app/_trend_chart.html", {"chart": alliance_chart()})
    svg = svg_of(html)
    assert 'role="img"' in svg
    assert 'aria-labelledby="trend-alliance-title trend-alliance-desc"' in svg
    assert '<title id="trend-alliance-title">Alliance: Alliance check-in</title>' in svg
    desc = re.search(r'<desc id="trend-alliance-desc">(.*?)</desc>', svg, re.S).group(1)
    assert "4 ratings from 5 January 2026 to 26 January 2026: first 36, latest 35" in desc
    assert "Alliance alert on 12 January 2026 (33)" in desc
    assert "Higher is better" in desc


def test_the_chart_draws_axes_ticks_line_points_and_the_cutoff():
    chart = alliance_chart()
    svg = svg_of(render_to_string("sessions_app/_trend_chart.html", {"chart": chart}))
    assert f'<polyline points="{chart.polyline}"' in svg
    # Points are dots on one path each (plain and flagged), so PDFs render them quickly.
    assert chart.dot_path.count("M") == 2 and chart.flagged_dot_path.count("M") == 2
    assert f'd="{chart.dot_path}"' in svg
    assert f'<path d="{chart.flagged_dot_path}" stroke="#dc3545"' in svg  # alerts in red
    for label in ("0", "10", "20", "30", "40", "5 Jan", "26 Jan"):
        assert f">{label}</text>" in svg
    assert 'stroke-dasharray="6 4"' in svg
    assert f'y1="{chart.cutoff_y}"' in svg


def test_the_key_below_the_chart_explains_it_in_text():
    html = render_to_string("sessions_app/_trend_chart.html", {"chart": alliance_chart()})
    key = re.search(r'<figcaption class="chart-key[^"]*">(.*?)</figcaption>', html, re.S).group(1)
    assert re.sub(r"<[^>]+>", "", key) == (
        "↑ Higher is better · dashed line: cutoff 30 · red points: alliance alerts (2) · "
        "4 ratings, first 36 (5 Jan 2026), latest 35 (26 Jan 2026), range 27–36"
    )
    # Only the ticks are SVG text: a PDF lays SVG text out letter by letter.
    assert "cutoff" not in svg_of(html).split("</desc>")[1]


def test_the_key_of_a_single_outcome_rating_without_cutoff():
    chart = one_outcome_rating_chart()
    html = render_to_string("sessions_app/_trend_chart.html", {"chart": chart})
    key = re.search(r'<figcaption class="chart-key[^"]*">(.*?)</figcaption>', html, re.S).group(1)
    assert key == "↑ Higher is worse · 1 rating: 1.50 (5 Jan 2026)"


def test_the_chart_needs_no_stylesheet_or_script():
    svg = svg_of(render_to_string("sessions_app/_trend_chart.html", {"chart": alliance_chart()}))
    assert "class=" not in svg and "<script" not in svg and "<style" not in svg
    assert 'xmlns="http://www.w3.org/2000/svg"' in svg and 'viewBox="0 0 560 220"' in svg


def test_the_chart_coordinates_never_use_a_decimal_comma():
    with translation.override("de"):
        svg = svg_of(
            render_to_string("sessions_app/_trend_chart.html", {"chart": alliance_chart()})
        )
    numbers = re.findall(r' (?:cx|cy|x1|y1|x2|y2|x|y)="([^"]*)"', svg)
    assert numbers and all(re.fullmatch(r"-?\d+(\.\d+)?", number) for number in numbers)
    paths = re.findall(r' (?:d|points)="([^"]*)"', svg)
    assert paths and not any("," in path.replace(" ", "") and "M" in path for path in paths)


def test_the_chart_has_a_table_with_every_point():
    html = render_to_string("sessions_app/_trend_chart.html", {"chart": alliance_chart()})
    table = re.search(r"<table.*?</table>", html, re.S).group(0)
    assert "<caption>" in table and '<th scope="col">Date</th>' in table
    assert table.count("<tr>") == 5  # the header and four ratings
    assert "12 Jan 2026</td><td>33 <span" in table
    assert table.count("alliance alert") == 2


def test_an_outcome_chart_without_cutoff_draws_no_dashed_line():
    chart = one_outcome_rating_chart()
    svg = svg_of(render_to_string("sessions_app/_trend_chart.html", {"chart": chart}))
    assert "stroke-dasharray" not in svg and "Higher is worse" in svg
    assert chart.dot_path.count("M") == 1 and "data-flagged" not in svg


# The client page's measures ----------------------------------------------------------------


def alliance_answers(total):
    values = [min(10, max(0, total - 10 * n)) for n in range(4)]
    return dict(zip(["goals", "tasks", "bond", "overall"], values, strict=True))


def phq9_answers(total):
    return {f"phq{n + 1}": min(3, max(0, total - 3 * n)) for n in range(9)}


def add_ratings(owner, client, count, start_days_ago=200):
    for number in range(count):
        day = TODAY() - dt.timedelta(days=start_days_ago - number * 3)
        rating_record(
            actor=owner,
            client=client,
            instrument=instrument("Alliance"),
            answers=alliance_answers(24 + number % 14),
            administered_on=day,
        )
        rating_record(
            actor=owner,
            client=client,
            instrument=instrument("PHQ-9"),
            answers=phq9_answers(max(0, 18 - number)),
            administered_on=day,
        )


@pytest.mark.django_db
def test_the_client_page_shows_outcomes_and_charts(client, owner, own_client, policy):
    add_ratings(owner, own_client, 3)
    client.force_login(owner)
    page = client.get(reverse("client_detail", kwargs={"pk": own_client.pk})).content.decode()
    assert "Alliance and outcome measures" in page
    # Each score with its severity band (PHQ-9: 15–19 moderately severe).
    assert (
        '18 <span class="text-body-secondary">moderately severe</span> → 16 '
        '<span class="band">moderately severe</span>' in page
    )
    assert "Unchanged" in page
    assert page.count('role="img"') == 2
    assert "Alliance: Alliance check-in" in page
    assert "Outcome: Patient Health Questionnaire (PHQ-9)" in page
    rating_url = reverse("rating_create", kwargs={"pk": own_client.pk})
    assert f"{rating_url}?instrument={instrument('GAD-7').pk}" in page
    assert "Recent alliance alerts" in page


@pytest.mark.django_db
def test_a_supervisor_sees_the_measures_without_record_buttons(
    client, owner, supervisor, own_client, policy
):
    add_ratings(owner, own_client, 2)
    client.force_login(supervisor)
    page = client.get(reverse("client_detail", kwargs={"pk": own_client.pk})).content.decode()
    assert page.count('role="img"') == 2
    assert reverse("rating_create", kwargs={"pk": own_client.pk}) not in page


@pytest.mark.django_db
def test_the_client_page_without_ratings_invites_a_first_measure(client, owner, own_client):
    client.force_login(owner)
    page = client.get(reverse("client_detail", kwargs={"pk": own_client.pk})).content.decode()
    assert "No measures recorded yet." in page
    assert 'role="img"' not in page


@pytest.mark.django_db
def test_the_client_page_takes_the_same_queries_for_1_or_30_ratings(
    client, owner, own_client, policy
):
    url = reverse("client_detail", kwargs={"pk": own_client.pk})
    client.force_login(owner)
    add_ratings(owner, own_client, 1)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    add_ratings(owner, own_client, 29, start_days_ago=150)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert Rating.objects.filter(client=own_client).count() == 60
    assert len(response.context["charts"][0].points) == 30
    assert len(many) == len(few)


def test_a_long_series_draws_its_line_and_alerts_without_merging_dots():
    totals = [30 + n % 7 for n in range(MOST_DOTS + 1)]
    flagged = [n % 10 == 3 for n in range(MOST_DOTS + 1)]
    chart = alliance_chart(totals=totals, flagged=flagged)
    html = render_to_string("sessions_app/_trend_chart.html", {"chart": chart})
    svg = svg_of(html)

    assert chart.dot_path == "" and 'stroke="#2f5d62" stroke-width="8"' not in svg
    assert f'<path d="{chart.flagged_dot_path}" stroke="#dc3545"' in svg
    assert chart.flagged_dot_path.count("M") == 6
    desc = re.search(r"<desc[^>]*>(.*?)</desc>", svg, re.S).group(1)
    assert desc.endswith("6 alliance alerts, the latest on 11 January 2027 (34).")
    assert "red points: alliance alerts (6)" in html


def test_dates_on_a_series_longer_than_a_year_carry_the_year():
    short = alliance_chart()
    long = trend_chart(
        title="Alliance: Alliance check-in",
        instrument_name="Alliance",
        values=[
            (dt.date(2025, 3, 3), Decimal(30), False),
            (dt.date(2026, 6, 1), Decimal(34), False),
        ],
        low=Decimal(0),
        high=Decimal(40),
        cutoff=Decimal(30),
        higher_is_better=True,
    )
    assert [tick.label for tick in short.x_ticks] == ["5 Jan", "12 Jan", "19 Jan", "26 Jan"]
    assert [tick.label for tick in long.x_ticks] == ["Mar 2025", "Jun 2026"]
