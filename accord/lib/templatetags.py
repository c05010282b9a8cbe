from __future__ import annotations

from django import template
from django.template.defaultfilters import floatformat
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import ngettext

from accord.lib import charts, markdown
from accord.lib.charts import BarChart, LineChart
from accord.lib.live import EVERY, live_version

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str) -> SafeString:
    """Render partner-written Markdown safely."""
    return markdown.render(text)


@register.filter
def markdown_inline(text: str) -> SafeString:
    return markdown.render_inline(text)


@register.filter
def get_item(mapping: dict[object, object], key: object) -> object:
    """`mapping[key]` in a template (None when missing)."""
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.simple_tag
def line_chart(chart: LineChart, title: str) -> SafeString:
    return charts.line_svg(chart, title)


@register.simple_tag
def bar_chart(chart: BarChart, title: str) -> SafeString:
    return charts.bars_svg(chart, title)


# --- Words and numbers: one way to write each kind of figure ------------------------------------

NO_DATA = "—"  # what a figure that has no data yet shows, never a made-up 0.0


@register.filter
def quantity(value: float | int | str | None, unit: str = "") -> str:
    """A measured value with its unit, a space between ("35 signups", "2.5 h"), percent signs
    excepted ("35%"); up to two decimals, none it does not need ("2.5", "3"); "—" without a value."""
    if value is None or value == "":
        return NO_DATA
    number = f"{float(value):.2f}".rstrip("0").rstrip(".")
    unit = (unit or "").strip()
    if not unit:
        return str(number)
    return f"{number}{unit}" if unit == "%" else f"{number} {unit}"


@register.filter
def mean(value: float | int | str | None) -> str:
    """A mean (of ratings, of a score): always one decimal ("3.0", "4.5"); "—" without data."""
    if value is None or value == "":
        return NO_DATA
    return str(floatformat(value, 1))


@register.filter
def days(value: float | int | str | None) -> str:
    """A number of days: "1 day", "3 days", "2.5 days"; "no data yet" without one."""
    if value is None or value == "":
        return "no data yet"
    number = f"{float(value):.1f}".removesuffix(".0")
    return ngettext("%(n)s day", "%(n)s days", 1 if number == "1" else 2) % {"n": number}


@register.simple_tag(takes_context=True)
def live_region(context: template.Context, url: str) -> SafeString:
    """The attributes of a live region (accord.lib.live) polling `url`, its live view, with the
    version of the partnership the page was drawn at; the region also needs an `id`, kept from one
    drawing to the next."""
    version = live_version(context["request"], context["partnership"].pk)
    return format_html(
        'data-live data-hx-get="{}?v={}" data-hx-trigger="{}" data-hx-swap="morph:outerHTML"', url, version, EVERY
    )
