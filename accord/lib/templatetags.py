from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

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


@register.simple_tag(takes_context=True)
def live_region(context: template.Context, url: str) -> SafeString:
    """The attributes of a live region (accord.lib.live) polling `url`, its live view, with the
    version of the partnership the page was drawn at; the region also needs an `id`, kept from one
    drawing to the next."""
    version = live_version(context["request"], context["partnership"].pk)
    return format_html(
        'data-live data-hx-get="{}?v={}" data-hx-trigger="{}" data-hx-swap="morph:outerHTML"', url, version, EVERY
    )
