"""Words and numbers (issue 17 point 8): one way to write each kind of figure, dates under every
trend line, and the target drawn as a line, not as dashed "( )" rings."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.template import Context, Template

from accord.lib.charts import line_chart, line_svg
from accord.lib.templatetags import days, mean, quantity

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [(35, "signups", "35 signups"), (2.5, "h", "2.5 h"), (35, "%", "35%"), (3.456, "", "3.46"), (None, "x", "—")],
)
def test_a_quantity_has_a_space_before_its_unit(value, unit, shown):
    assert quantity(value, unit) == shown


@pytest.mark.parametrize(("value", "shown"), [(3, "3.0"), (4.25, "4.3"), (4.5, "4.5"), (None, "—")])
def test_a_mean_always_has_one_decimal(value, shown):
    assert mean(value) == shown


@pytest.mark.parametrize(("value", "shown"), [(1, "1 day"), (3, "3 days"), (2.5, "2.5 days"), (0, "0 days")])
def test_days_are_counted_in_words(value, shown):
    assert days(value) == shown


def test_no_days_is_no_data_not_zero():
    assert days(None) == "no data yet"
    assert Template("{% load accord %}{{ v|days }} {{ v|mean }}").render(Context({"v": None})) == "no data yet —"


def test_no_template_writes_a_unit_straight_after_a_number():
    found = [
        str(path.relative_to(ROOT))
        for path in ROOT.rglob("*.html")
        if "}}{{" in (text := path.read_text()) and ".unit }}" in text.split("}}{{", 1)[1][:40]
    ]
    assert found == []


def test_a_trend_line_has_its_dates_under_it_never_more_than_four():
    labels = [f"#{n}" for n in range(1, 11)]
    axis = [f"{m} 2026" for m in ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct"]]
    chart = line_chart(labels, [("Today", "series-0", [3.0] * 10)], axis=axis)
    assert [text for _, _, text in chart.axis] == ["Jan 2026", "Apr 2026", "Jul 2026", "Oct 2026"]
    assert [anchor for _, anchor, _ in chart.axis] == ["start", "middle", "middle", "end"]
    svg = str(line_svg(chart, "Trend"))
    assert svg.count('text-anchor="') == 4 and ">Jan 2026</text>" in svg and ">Oct 2026</text>" in svg


def test_a_short_trend_names_every_point_and_defaults_to_its_labels():
    chart = line_chart(["3 Mar", "9 Apr"], [("Reading", "series-0", [1.0, 2.0])])
    assert [(anchor, text) for _, anchor, text in chart.axis] == [("start", "3 Mar"), ("end", "9 Apr")]


def test_the_target_dots_are_drawn_solid():
    css = (ROOT / "core/static/accord/accord.css").read_text()
    tail = css[css.rindex(".chart .dot.series-target") :]
    assert "stroke-dasharray: none" in tail.split("}", 1)[0]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/accounts/login/", "/accounts/signup/", "/"])
def test_one_spelling_of_log_in_and_sign_up(client, path):
    html = client.get(path).content.decode()
    assert "Log in" in html and "Sign up" in html
    for other in ("Sign In", "Sign in", "Signup", "Sign Up", "Login", "Log-in", "Sign-in"):
        assert f">{other}" not in html and f" {other} " not in html, other


@pytest.mark.django_db
def test_a_ticked_talking_point_is_named_by_what_its_button_does(client, partnership, alice):
    from datetime import timedelta

    from django.utils.timezone import now

    from accord.conftest import login
    from accord.rituals.services import agenda_item_add, agenda_item_update, meeting_create

    meeting = meeting_create(partnership=partnership, user=alice, kind="one_on_one", scheduled_for=now() + timedelta(1))
    item = agenda_item_add(meeting=meeting, user=alice, text="Hiring plan")
    url = f"/p/{partnership.pk}/iterate/meetings/{meeting.pk}/"
    assert "Mark “Hiring plan” as discussed" in login(client, alice).get(url).content.decode()
    agenda_item_update(item=item, discussed=True)
    html = client.get(url).content.decode()
    assert "Mark “Hiring plan” as not discussed" in html and "Not discussed yet" not in html
