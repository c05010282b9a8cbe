from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from accord.lib import markdown

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
