"""XMP packets: building the one a rendition embeds, and reading the one an upload carries.

Plain XML, no Pillow and no database: renditions.py hands packets in and out.
XMP: https://developer.adobe.com/xmp/docs/ ; the properties are IPTC Photo Metadata's
(https://www.iptc.org/std/photometadata/specification/IPTC-PhotoMetadata).
"""

from __future__ import annotations

import hashlib
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from xml.sax.saxutils import escape

# --- Reading -------------------------------------------------------------------------------------

NS = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "photoshop": "http://ns.adobe.com/photoshop/1.0/",
    "xmpRights": "http://ns.adobe.com/xap/1.0/rights/",
    "Iptc4xmpCore": "http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/",
    "Iptc4xmpExt": "http://iptc.org/std/Iptc4xmpExt/2008-02-29/",
    "plus": "http://ns.useplus.org/ldf/xmp/1.0/",
}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# Our field name <- XMP property, first match wins.
XMP_FIELDS: dict[str, tuple[str, str]] = {
    "digital_source_type": ("Iptc4xmpExt", "DigitalSourceType"),
    "ai_system": ("Iptc4xmpExt", "AISystemUsed"),
    "ai_system_version": ("Iptc4xmpExt", "AISystemVersionUsed"),
    "ai_prompt": ("Iptc4xmpExt", "AIPromptInformation"),
    "ai_prompt_writer": ("Iptc4xmpExt", "AIPromptWriterName"),
    "credit_line": ("photoshop", "Credit"),
    "creator": ("dc", "creator"),
    "copyright_notice": ("dc", "rights"),
    "usage_terms": ("xmpRights", "UsageTerms"),
    "caption": ("dc", "description"),
    "alt_text": ("Iptc4xmpCore", "AltTextAccessibility"),
}


def read_xmp(packet: bytes | str | None) -> dict[str, str]:
    if not packet:
        return {}
    if isinstance(packet, str):
        packet = packet.encode("utf-8")
    # No DTDs: an entity expansion bomb in a metadata packet must not cost memory.
    if b"<!DOCTYPE" in packet or b"<!ENTITY" in packet:
        return {}
    start = packet.find(b"<x:xmpmeta")
    end = packet.rfind(b"</x:xmpmeta>")
    if start == -1 or end == -1:
        start, end = packet.find(b"<rdf:RDF"), packet.rfind(b"</rdf:RDF>")
        if start == -1 or end == -1:
            return {}
        closing = b"</rdf:RDF>"
    else:
        closing = b"</x:xmpmeta>"
    try:
        root = ET.fromstring(packet[start : end + len(closing)])
    except ET.ParseError:
        return {}
    found: dict[str, str] = {}
    descriptions = root.iter(f"{{{NS['rdf']}}}Description")
    for description in descriptions:
        for key, (prefix, name) in XMP_FIELDS.items():
            if key in found:
                continue
            tag = f"{{{NS[prefix]}}}{name}"
            value = description.get(tag)
            if value is None:
                element = description.find(tag)
                value = _xmp_element_text(element) if element is not None else None
            if value and value.strip():
                found[key] = value.strip()
        licensor = description.find(f"{{{NS['plus']}}}Licensor")
        if licensor is not None:
            for item in licensor.iter(f"{{{NS['rdf']}}}li"):
                for key, name in (
                    ("licensor_name", "LicensorName"),
                    ("licensor_url", "LicensorURL"),
                ):
                    tag = f"{{{NS['plus']}}}{name}"
                    value = item.get(tag) or item.findtext(tag)
                    if value and value.strip():
                        found.setdefault(key, value.strip())
    return found


def _xmp_element_text(element: ET.Element) -> str | None:
    """A simple value, or the x-default (else first) item of an Alt/Seq/Bag."""
    items = list(element.iter(f"{{{NS['rdf']}}}li"))
    if not items:
        return element.get(f"{{{NS['rdf']}}}resource") or element.text
    for item in items:
        if item.get(XML_LANG) == "x-default":
            return item.text
    return items[0].text


# --- Writing -------------------------------------------------------------------------------------

_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _x(value: str) -> str:
    return escape(_XML_INVALID.sub("", value), {'"': "&quot;"})


def build_xmp(values: Mapping[str, str]) -> bytes:
    """An XMP packet with the rights and provenance a rendition must keep.

    `values` keys: digital_source_type, ai_system, ai_system_version, credit_line, creator,
    copyright_notice, usage_terms, web_statement, licensor_name, licensor_url, alt_text,
    caption. Empty values are left out. The AI prompt is internal and never embedded.
    """
    v = {k: (val or "").strip() for k, val in values.items()}
    lines: list[str] = []

    def simple(prefix: str, name: str, value: str) -> None:
        if value:
            lines.append(f"   <{prefix}:{name}>{_x(value)}</{prefix}:{name}>")

    def lang_alt(prefix: str, name: str, value: str) -> None:
        if value:
            lines.append(
                f'   <{prefix}:{name}><rdf:Alt><rdf:li xml:lang="x-default">{_x(value)}'
                f"</rdf:li></rdf:Alt></{prefix}:{name}>"
            )

    simple("Iptc4xmpExt", "DigitalSourceType", v.get("digital_source_type", ""))
    simple("Iptc4xmpExt", "AISystemUsed", v.get("ai_system", ""))
    simple("Iptc4xmpExt", "AISystemVersionUsed", v.get("ai_system_version", ""))
    simple("photoshop", "Credit", v.get("credit_line", ""))
    if v.get("creator"):
        lines.append(
            f"   <dc:creator><rdf:Seq><rdf:li>{_x(v['creator'])}</rdf:li></rdf:Seq></dc:creator>"
        )
    lang_alt("dc", "rights", v.get("copyright_notice", ""))
    lang_alt("dc", "description", v.get("caption", ""))
    lang_alt("Iptc4xmpCore", "AltTextAccessibility", v.get("alt_text", ""))
    lang_alt("xmpRights", "UsageTerms", v.get("usage_terms", ""))
    simple("xmpRights", "WebStatement", v.get("web_statement", ""))
    if v.get("licensor_name") or v.get("licensor_url"):
        inner = "".join(
            f"<plus:{name}>{_x(v[key])}</plus:{name}>"
            for key, name in (("licensor_name", "LicensorName"), ("licensor_url", "LicensorURL"))
            if v.get(key)
        )
        lines.append(
            '   <plus:Licensor><rdf:Seq><rdf:li rdf:parseType="Resource">'
            f"{inner}</rdf:li></rdf:Seq></plus:Licensor>"
        )
    namespaces = "".join(
        f'\n    xmlns:{prefix}="{uri}"' for prefix, uri in NS.items() if prefix not in ("x", "rdf")
    )
    body = "\n".join(lines)
    packet = (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        f'<x:xmpmeta xmlns:x="{NS["x"]}">\n'
        f' <rdf:RDF xmlns:rdf="{NS["rdf"]}">\n'
        f'  <rdf:Description rdf:about=""{namespaces}>\n'
        f"{body}\n"
        "  </rdf:Description>\n"
        " </rdf:RDF>\n"
        "</x:xmpmeta>\n"
        '<?xpacket end="w"?>'
    )
    return packet.encode("utf-8")


def metadata_digest(xmp: bytes) -> str:
    return hashlib.sha256(xmp).hexdigest()
