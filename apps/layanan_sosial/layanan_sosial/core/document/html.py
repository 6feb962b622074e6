"""Safe HTML for `Text Editor` values (frappe_compat: Frappe sanitises them on save too).

Every Text Editor value of a document and of its child rows is cleaned on save, whichever
way it came in (desk form, REST, insert_many, a controller), before the mandatory check —
so a value that was only a script counts as empty. The allow-list matches the desk editor's
toolbar (bold, italic, underline, lists, link, headings, clean) plus a few harmless tags a
paste may bring. A DocField with `ignore_xss_filter: 1` keeps its value as sent.

The sanitiser is nh3 (bindings to the Rust crate ammonia, bleach's maintained successor):
it parses like a browser (html5ever), so the output is what a browser would see; `javascript:`
and other non-listed URL schemes, event handlers, `style` and unknown tags are removed, the
text of removed tags kept (that of script/style dropped) and every link gets
rel="noopener noreferrer". Cleaning its own output changes nothing, so re-saving an unchanged
document writes no Version.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import nh3
from markupsafe import Markup

if TYPE_CHECKING:
    from ..meta.model import DocField, Meta
    from .document import Document

TEXT_EDITOR = "Text Editor"

ALLOWED_TAGS = frozenset(
    {
        "p",
        "br",
        "strong",
        "em",
        "b",  # b/i: what older HTML and other editors write for bold/italic (Quill reads them)
        "i",
        "u",
        "s",
        "ol",
        "ul",
        "li",
        "a",
        "h1",
        "h2",
        "h3",
        "h4",
        "blockquote",
        "code",
        "pre",
        "span",
    }
)
# `rel` is not listed: nh3 writes rel="noopener noreferrer" on every link itself (link_rel)
ALLOWED_ATTRIBUTES = {"a": {"href"}}
# target only as "open in a new tab"; span classes only the editor's own (size and font)
ATTRIBUTE_VALUES = {"a": {"target": {"_blank"}}}
ALLOWED_CLASSES = {
    "span": {"ql-size-small", "ql-size-large", "ql-size-huge", "ql-font-serif", "ql-font-monospace"}
}
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
LINK_REL = "noopener noreferrer"


def sanitize(value: str) -> str:
    """The allow-listed HTML of `value` (relative links such as /app/… are kept)."""
    return nh3.clean(
        value,
        tags=set(ALLOWED_TAGS),
        attributes=ALLOWED_ATTRIBUTES,
        tag_attribute_values=ATTRIBUTE_VALUES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=set(URL_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
    )


def safe_html(value: Any) -> Markup:
    """For templates: the sanitised value marked safe (the one way a Text Editor value is
    rendered as HTML; anything else stays auto-escaped)."""
    if value is None or value == "":
        return Markup("")
    return Markup(sanitize(str(value)))


def _html_fields(meta: Meta) -> list[DocField]:
    fields = meta.__dict__.get("_html_fields")
    if fields is None:  # cached on the Meta object; a changed DocType gets a new Meta
        fields = [
            df
            for df in meta.data_fields
            if df.fieldtype == TEXT_EDITOR and not df.flag("ignore_xss_filter")
        ]
        meta.__dict__["_html_fields"] = fields
    return fields


def html_fieldnames(meta: Meta) -> frozenset[str]:
    """Fieldnames whose values are sanitised on save."""
    return frozenset(df.fieldname for df in _html_fields(meta))


def sanitize_document(doc: Document) -> None:
    """Clean the Text Editor values of `doc` itself (its child rows are documents too:
    the caller's walk over them reaches them)."""
    data = doc._data
    for df in _html_fields(doc.meta):
        value = data.get(df.fieldname)
        if isinstance(value, str) and value:
            data[df.fieldname] = sanitize(value)
