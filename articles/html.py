"""HTML cleaning for article bodies and short rich text, with nh3 (Ammonia).

https://nh3.readthedocs.io/en/latest/ : anything outside the allow-list is removed, never rejected.
"""

import nh3

BODY_TAGS = {
    "p",
    "br",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "s",
    "sub",
    "sup",
    "a",
    "ul",
    "ol",
    "li",
    "blockquote",
    "q",
    "cite",
    "h2",
    "h3",
    "h4",
    "figure",
    "figcaption",
    "abbr",
    "code",
    "pre",
    "hr",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "span",
}
BODY_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "abbr": {"title"},
    "q": {"cite"},
    "blockquote": {"cite"},
    "span": {"lang"},
    "p": {"lang"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}
INLINE_TAGS = {"strong", "b", "em", "i", "a", "abbr", "code", "sub", "sup", "br", "span"}
INLINE_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "span": {"lang"}}
URL_SCHEMES = {"http", "https", "mailto"}


def clean_body(html: str) -> str:
    return nh3.clean(
        html or "",
        tags=BODY_TAGS,
        attributes=BODY_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )


def clean_inline(html: str) -> str:
    return nh3.clean(
        html or "",
        tags=INLINE_TAGS,
        attributes=INLINE_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
