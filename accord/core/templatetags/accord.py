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
