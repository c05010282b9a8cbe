"""Markdown that partners write, rendered safely: markdown-it-py without raw HTML, then nh3 keeps
only harmless tags and http(s)/mailto links. Scripts, event handlers and javascript: URLs never survive."""

from __future__ import annotations

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("strikethrough")

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "del",
    "s",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "h3",
    "h4",
    "h5",
    "h6",
    "a",
    "hr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}


def _clean(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def render(text: str) -> SafeString:
    """Block Markdown (paragraphs, lists, quotes) as safe HTML. Headings are demoted to h3+."""
    html = _md.render(text or "")
    for level in (1, 2):
        html = html.replace(f"<h{level}>", "<h3>").replace(f"</h{level}>", "</h3>")
    return mark_safe(_clean(html))  # noqa: S308 - cleaned by nh3 just above


def render_inline(text: str) -> SafeString:
    """One line of Markdown (emphasis, code, links) as safe HTML, for list items."""
    return mark_safe(_clean(_md.renderInline(text or "")))  # noqa: S308 - cleaned by nh3 just above
