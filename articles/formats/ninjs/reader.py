"""IPTC ninjs 2.x / 3.x in: what an agency's (or our own) document says, as plain data.

The reader only reads: it takes a document the IPTC schema has accepted
(``articles.formats.validation``) and returns an ``IncomingArticle``; matching entities, fetching
images and writing rows is ``articles.services.ninjs_import``. 3.x documents are read through
their 2.2 spellings (the writer's ``NAMES_2``), so one reader serves both versions. Our own
structured data comes back from the ``newsroom:`` bodies the writer adds.
"""

import json
import re
from dataclasses import dataclass, field
from html import escape

from articles.formats.ninjs.writer import (
    ENTITY_LISTS,
    EXTENSION_ROLE,
    JSON_CONTENT,
    LICENCE_BASIS_ROLE,
    MENTION_RELS,
    NAMES_2,
    rename,
)
from articles.formats.validation import version_of
from articles.models import Mention

WIKIDATA_URI = re.compile(r"^https?://(?:www\.)?wikidata\.org/(?:entity|wiki)/(Q[1-9][0-9]*)$")
KIND_OF_LIST = {name: kind for kind, name in ENTITY_LISTS.items()}
ROLE_OF_REL = {rel: role for role, rel in MENTION_RELS.items()}
# The extension bodies the reader takes back (the writer's names).
EXTENSIONS = (
    "claims",
    "quotes",
    "key_figures",
    "key_dates",
    "corrections",
    "highlight_boxes",
    "entities",
    "followups",
)


class NinjsReadError(ValueError):
    """A part of a schema-valid document we cannot read; ``path`` is its JSON path."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


@dataclass
class IncomingEntity:
    name: str
    kind: str
    wikidata_id: str = ""
    aliases: list[str] = field(default_factory=list)
    description: str = ""


@dataclass
class IncomingImage:
    path: str  # the association's JSON path, for error messages
    role: str  # "lead" or "inline"
    metadata: dict[str, str]  # image fields (alt_text, creator, digital_source_type...)
    licence_url: str
    renditions: list[dict]  # href, width, height, contenttype, sizeinbytes


@dataclass
class IncomingArticle:
    version: str
    headline: str
    language: str
    standfirst: str = ""
    body: str = ""
    by: str = ""
    editor_note: str = ""
    embargo_until: str | None = None
    mentions: list[tuple[IncomingEntity, str]] = field(default_factory=list)
    tags: list[tuple[str, str]] = field(default_factory=list)  # (slug, name)
    sources: list[dict] = field(default_factory=list)
    images: list[IncomingImage] = field(default_factory=list)
    # Our structured data from the newsroom: bodies, in the public API's shapes.
    extensions: dict[str, list] = field(default_factory=dict)
    promises: list[str] = field(default_factory=list)  # follow-ups' lines for readers


def _by_role(items: list, role: str) -> dict | None:
    return next((i for i in items or [] if i.get("role") == role), None)


def wikidata_id(uri: str | None) -> str:
    match = WIKIDATA_URI.match(uri or "")
    return match.group(1) if match else ""


def _text_to_html(text: str) -> str:
    return "".join(f"<p>{escape(line)}</p>" for line in text.splitlines() if line.strip())


def _body(doc: dict) -> str:
    bodies = doc.get("bodies") or []
    html = _by_role(bodies, "main") or next(
        (b for b in bodies if b.get("contenttype") == "text/html"), None
    )
    if html is not None and html.get("contenttype", "text/html") == "text/html":
        return html.get("value", "")
    plain = html or next((b for b in bodies if b.get("contenttype") == "text/plain"), None)
    if plain is not None:
        return _text_to_html(plain.get("value", ""))
    return doc.get("body_html") or _text_to_html(doc.get("body_text", ""))


def _extensions(doc: dict) -> dict[str, list]:
    found = {}
    for index, body in enumerate(doc.get("bodies") or []):
        role = body.get("role") or ""
        name = role.removeprefix(EXTENSION_ROLE)
        if not role.startswith(EXTENSION_ROLE) or name not in EXTENSIONS:
            continue
        path = f"$.bodies[{index}].value"
        if body.get("contenttype") != JSON_CONTENT:
            raise NinjsReadError(f"$.bodies[{index}].contenttype", f"{role} must be JSON.")
        try:
            value = json.loads(body.get("value", ""))
        except ValueError as exc:
            raise NinjsReadError(path, f"{role} is not valid JSON: {exc}.") from exc
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise NinjsReadError(path, f"{role} must be a list of objects.")
        found[name] = value
    return found


def _mentions(doc: dict, known: list[dict]) -> list[tuple[IncomingEntity, str]]:
    """people / organisations / places / events / objects, with the aliases and kind our own
    ``newsroom:entities`` body adds when the document comes from a newsroom like ours."""
    mentions = []
    for list_name, kind in KIND_OF_LIST.items():
        for item in doc.get(list_name) or []:
            name = (item.get("name") or "").strip()
            qid = wikidata_id(item.get("uri"))
            if not name:
                continue
            role = ROLE_OF_REL.get(item.get("rel") or "", Mention.Role.MENTIONED)
            extra = next(
                (
                    e
                    for e in known
                    if e.get("name") == name and e.get("kind") == kind and e.get("role") == role
                ),
                {},
            )
            aliases = [a for a in extra.get("aliases") or [] if isinstance(a, str)]
            order = known.index(extra) if extra else len(known)
            mentions.append((order, IncomingEntity(name, kind, qid, aliases), role))
    # The document's lists are by kind; our own body keeps the article's order of mentions.
    mentions.sort(key=lambda m: m[0])
    return [(entity, role) for _, entity, role in mentions]


def _image(item: dict, path: str) -> IncomingImage:
    metadata: dict[str, str] = {}
    caption = _by_role(item.get("headlines"), "caption")
    if caption:
        metadata["caption"] = caption.get("value", "")
    alt = _by_role(item.get("descriptions"), "alt")
    if alt:
        metadata["alt_text"] = alt.get("value", "")
    basis = _by_role(item.get("descriptions"), LICENCE_BASIS_ROLE)
    if basis:
        metadata["licence_basis"] = basis.get("value", "")
    for ninjs_name, ours in (
        ("by", "creator"),
        ("copyrightholder", "copyright_holder"),
        ("copyrightnotice", "copyright_notice"),
    ):
        if item.get(ninjs_name):
            metadata[ours] = item[ninjs_name]
    credit = _by_role(item.get("infosources"), "credit")
    if credit and credit.get("name") and credit["name"] != item.get("copyrightholder"):
        metadata["credit_line"] = credit["name"]
    source_type = item.get("digitalsourcetype") or {}
    if source_type.get("uri"):
        metadata["digital_source_type"] = source_type["uri"]
    if item.get("usageterms"):
        metadata["usage_terms"] = item["usageterms"]
    rights = item.get("rightsinfo") or {}
    return IncomingImage(
        path=path,
        role="lead" if item.get("name") == "featureimage" else "inline",
        metadata=metadata,
        licence_url=rights.get("linkedrights") or "",
        renditions=[r for r in item.get("renditions") or [] if r.get("href")],
    )


def read_ninjs(document: dict) -> IncomingArticle:
    """The article a schema-valid ninjs 2.x or 3.x document carries (NinjsReadError if an
    extension body cannot be read)."""
    version = version_of(document)
    doc = rename(document, NAMES_2) if version != "2.2" else document
    headline = _by_role(doc.get("headlines"), "main") or next(iter(doc.get("headlines") or []), {})
    summary = _by_role(doc.get("descriptions"), "summary")
    extensions = _extensions(doc)
    article = IncomingArticle(
        version=version,
        headline=headline.get("value") or doc.get("headline") or "",
        language=doc.get("language") or "",
        standfirst=(summary or {}).get("value", "") or doc.get("description_text", ""),
        body=_body(doc),
        by=doc.get("by") or "",
        editor_note=doc.get("ednote") or "",
        embargo_until=doc.get("embargoed"),
        mentions=_mentions(doc, extensions.pop("entities", [])),
        extensions=extensions,
    )
    for subject in doc.get("subjects") or []:
        slug = subject.get("literal") or ""
        if subject.get("name") or slug:
            article.tags.append((slug, subject.get("name") or slug))
    for source in doc.get("infosources") or []:
        if source.get("name"):
            article.sources.append(
                {"name": source["name"], "role": source.get("role"), "url": source.get("uri")}
            )
    for index, item in enumerate(doc.get("associations") or []):
        if isinstance(item, dict) and item.get("type") == "picture":
            article.images.append(_image(item, f"$.associations[{index}]"))
    if "followups" in extensions:
        promises = [f.get("promise") for f in extensions.pop("followups")]
    else:
        promises = [c.get("title") for c in doc.get("plannedCoverage") or []]
    article.promises = [p if isinstance(p, str) else "" for p in promises]
    return article
