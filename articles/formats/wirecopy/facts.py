"""What the sentences of wire copy state: claims and their status, quotes and their speaker,
sources, the follow-up promise, the lead image's note and the names of organisations."""

import re
from dataclasses import dataclass

from .text import APOSTROPHE as A

TRAINED_ALGORITHMIC_MEDIA = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"


@dataclass
class FoundClaim:
    text: str
    status: str  # a Claim.Status value
    responder: str  # who the status sentence names ("L'entreprise", "OpenAI"), as written
    sourcing: str  # a Claim.Sourcing value
    own_statement: bool  # "Arcturus a confirmé des discussions": the responder makes the claim


@dataclass
class FoundQuote:
    text: str
    speaker_label: str
    organisation: str  # the organisation the sentence names for the speaker, as written


@dataclass
class FoundSource:
    name: str
    role: str  # a Source.Role value


# Most specific first: "ni entièrement confirmé ni démenti" before "ni confirmé ni démenti".
STATUS_PATTERNS = [
    (
        "partially_confirmed",
        rf"n{A}(?:a|ont) ni (?:entièrement|totalement|complètement) confirmé ni démenti"
        rf"|n{A}a été ni (?:entièrement|totalement) confirmée? ni démentie?"
        r"|neither (?:fully|entirely|completely) confirmed nor denied",
    ),
    (
        "neither_confirmed_nor_denied",
        rf"n{A}(?:a|ont) ni confirmé ni démenti|n{A}a été ni confirmée? ni démentie?"
        r"|ne (?:confirme|confirment) ni ne (?:dément|démentent)"
        r"|(?:has |have |had )?neither confirmed nor denied|would neither confirm nor deny",
    ),
    (
        "no_comment",
        rf"n{A}(?:a|ont) pas (?:souhaité |voulu )?(?:commenté|commenter|réagi|réagir)"
        rf"|s{A}est refusée? à tout commentaire|(?:declined|refused) to comment"
        r"|(?:has|have) not commented|did not comment",
    ),
    (
        "denied",
        r"\b(?:a|ont) (?:démenti|nié)\b|\ba été démentie?\b|\bdément\b"
        r"|\b(?:has |have )?denied\b|\bdenies\b",
    ),
    (
        "confirmed",
        r"\b(?:a|ont) confirmé\b|\ba été confirmée?\b|\bconfirme\b"
        r"|\b(?:has |have )?confirmed\b|\bconfirms\b",
    ),
    ("disputed", r"\bcontest(?:e|é|ée|ent)\b|\b(?:is |was )?disputed\b|\bdisputes\b"),
]
STATUS_RES = [(status, re.compile(pattern, re.IGNORECASE)) for status, pattern in STATUS_PATTERNS]

# "according to reports", "selon certaines informations", conditional mood ("serait",
# "discuterait", "auraient"): reported, not confirmed.
ANONYMOUS_RE = re.compile(
    r"selon (?:certaines|des|plusieurs|nos) (?:informations|sources)"
    r"(?: de presse| proches du dossier)?"
    r"|de sources proches du dossier|according to (?:reports|sources|people familiar with[\w ]*)"
    r"|people familiar with the matter|\breportedly\b",
    re.IGNORECASE,
)
CONDITIONAL_RE = re.compile(r"\b\w{3,}(?:rait|raient)\b|\bis said to\b|\bare said to\b")
CAPITAL = "A-ZÀ-ÖØ-Þ"
NAME = (
    rf"(?:The |Le |La |Les |L['’])?[{CAPITAL}][\w&.'’-]*(?:\s(?:[{CAPITAL}][\w&.'’-]*|of|de|du))*"
)
OUTLET_RES = [
    re.compile(rf"L{A}éditeur de (?P<name>{NAME}) a appris"),
    re.compile(rf"\b[Ss]elon (?:le |la |les |l{A})?(?P<name>{NAME})"),
    re.compile(rf"\b[Aa]ccording to (?:the )?(?P<name>{NAME})"),
    re.compile(rf"(?P<name>{NAME}) (?:a révélé|first reported|was first to report)\b"),
]
PERSON_WORDS = re.compile(
    r"porte-parole|spokes(?:wo)?man|spokesperson|dirigeante?|directeur|directrice|chief|"
    r"executive|président|president|ministre|minister|analyste|analyst",
    re.IGNORECASE,
)

FOLLOWUP_RE = re.compile(
    r"continuer(?:a|ont|ons) (?:à|de) (?:prêter attention|suivre|surveiller)"
    r"|continue(?:ra|rons)? (?:à|de) suivre|restera attenti(?:f|ve)|suivra (?:de près )?(?:ce|le)"
    r"|(?:will|'ll) keep (?:watching|following|an eye on)"
    r"|will continue to (?:follow|monitor|watch)",
    re.IGNORECASE,
)

SAYS = (
    r"a déclaré|a dit|a affirmé|a indiqué|a expliqué|a précisé|a ajouté|a souligné|a assuré"
    r"|a répondu|déclare|said|told [\w ]+?|added|stated|says|explained"
)
QUOTE_RE = re.compile(r"«\s*(?P<a>[^»]+?)\s*»|“(?P<b>[^”]+?)”|\"(?P<c>[^\"]+?)\"")
SPEAKER_BEFORE_RE = re.compile(rf"(?P<who>[^.:;«“\"]+?),?\s+(?:{SAYS})\s*:?\s*$")
SPEAKER_AFTER_RES = [
    re.compile(rf"^\s*[,.]?\s*(?:{SAYS})\s+(?P<who>[^.,;:]+)"),
    re.compile(r"^\s*,?\s*(?P<who>[^.,;:«“]+?)\s+(?:said|added|told|says|explained)\b"),
    re.compile(
        r"^\s*,?\s*(?:selon|explique|ajoute|affirme|précise|indique|souligne|assure)\s+"
        r"(?P<who>[^.,;:]+)"
    ),
]
ORGANISATION_OF_RE = re.compile(
    r"\s+(?:de|d['’]|du|chez|of|at|for|from)\s*(?P<org>[A-Z][\w&.'’ -]*)$"
)

ORG_PATTERN_RE = re.compile(
    r"\b(?P<name>[A-ZÀ-ÖØ-Þ][\w&'’-]*(?:\s[A-Z][\w&'’-]*)*\s(?:Group|Groupe|Inc\.|Inc|Corp\.|Corporation"
    r"|Ltd|SA|SAS|AG|GmbH|Holdings?|Technologies|Semiconductors|Labs|Systems))(?!\w)"
)
ACRONYM_RE = re.compile(r"(?<![\w.])(?P<name>[A-Z][A-Z0-9&]{1,5})(?![\w])")
# Capitalised words that are not names: acronyms of the trade, currencies, pronouns.
NOT_NAMES = {
    "IA", "AI", "PDG", "CEO", "CFO", "USD", "EUR", "GBP", "UE", "EU", "US", "USA", "UK",
    "TV", "PC", "OK", "II", "III", "IV", "PM", "AM", "NB", "PS", "ETA", "FAQ", "HT", "TTC",
    "PME", "PMI", "ETI", "TPE", "SME", "SMEs", "AG", "SA", "SAS", "GMT", "UTC", "CET",
}  # fmt: skip
QUARTER_RE = re.compile(r"^[QTH][1-4]$")
CAPITALISED_RE = re.compile(
    rf"(?<![.!?]\s)(?<!^)\b(?P<name>[{CAPITAL}][a-zà-ÿ]+(?:[\s-][{CAPITAL}][a-zà-ÿ]+)+)"
)

AI_WORD_RE = re.compile(
    r"\b(?:IA|AI|intelligence artificielle|artificial intelligence|générée?s?|generated|"
    r"Midjourney|DALL[·-]?E|Stable Diffusion|Firefly|Imagen)\b",
    re.IGNORECASE,
)
AI_SYSTEMS = ["Midjourney", "DALL·E", "DALL-E", "Stable Diffusion", "Firefly", "Imagen", "Flux"]
AI_SYSTEM_RE = re.compile(
    r"(?:par|by|with|avec|using|via|l['’]IA|l['’]outil|the AI|the tool)\s+(?P<name>[A-Z][\w.·-]*)"
)
LICENSOR_RE = re.compile(
    r"(?P<phrase>(?:autorisée?|fournie?|utilisée?|licenciée?) (?:par|sous licence de)"
    r"(?: le fournisseur de services| le fournisseur| le service)?|(?:licensed|authorised|"
    r"authorized|provided|used under licen[cs]e) (?:by|from)"
    r"(?: the service provider| the provider)?)"
    r"\s+(?P<name>[A-Z][\w.·-]*(?:\s[A-Z][\w.·-]*)*)",
    re.IGNORECASE,
)
PAID_RE = re.compile(r"abonnement payant|forfait payant|offre payante|paid (?:plan|subscription)")
NC_RE = re.compile(r"creative commons|cc by-nc|non[- ]commercial", re.IGNORECASE)


# What may follow the status phrase of a sentence that only answers the one before it:
# "L'entreprise n'a ni confirmé ni démenti ces informations.", "… denied the report."
ANSWER_ONLY_RE = re.compile(
    rf"^\W*(?:(?:on |about )?(?:the|these|this|that|such) (?:reports?|information|claims?|rumou?rs?"
    rf"|story|stories)|ces informations|cette information|l{A}information|cette rumeur"
    rf"|ces rumeurs|ces affirmations|it|this|that|them)?"
    rf"(?:,?\s*(?:for now|so far|further|à ce stade|pour l{A}instant|pour le moment))?\W*$",
    re.IGNORECASE,
)
BY_RE = re.compile(r"^\s*(?:par|by)\s+(?P<who>[^,.;:]+)")


def claim_status(sentence: str) -> tuple[str, re.Match] | None:
    for status, regex in STATUS_RES:
        match = regex.search(sentence)
        if match:
            return status, match
    return None


def is_reported(sentence: str) -> bool:
    return bool(ANONYMOUS_RE.search(sentence) or CONDITIONAL_RE.search(sentence))


def _subject(text: str) -> str:
    """The responder of "Contactée, l'entreprise n'a …": the last clause before the verb."""
    text = re.split(r"[,;:]\s+", text.strip())[-1]
    return re.sub(r"\s+(?:has|have|had|would|was|were|is|are)$", "", text).strip()


def _sourcing(text: str, own_statement: bool) -> str:
    if any(regex.search(text) for regex in OUTLET_RES[:3]) and not ANONYMOUS_RE.search(text):
        return "other_outlet"
    if own_statement:
        return "official_statement"
    return "anonymous_sources"


def find_claims(sentences: list[str]) -> list[FoundClaim]:
    """A sentence with a status phrase is a claim. When it only answers ("L'entreprise n'a ni
    confirmé ni démenti."), the claim is the sentence before it."""
    claims: list[FoundClaim] = []
    used: set[int] = set()
    for index, sentence in enumerate(sentences):
        found = claim_status(sentence)
        if found is None:
            continue
        status, match = found
        subject = _subject(sentence[: match.start()])
        by = BY_RE.match(sentence[match.end() :])
        if by:  # "a finding disputed by independent researchers"
            subject = by.group("who").strip()
        answer_only = (
            bool(ANSWER_ONLY_RE.match(sentence[match.end() :])) and len(subject.split()) <= 6
        )
        if answer_only and index > 0 and index - 1 not in used:
            text, own = sentences[index - 1], False
            used.add(index - 1)
        else:
            text, own = sentence, status in ("confirmed", "denied", "disputed") and not by
        used.add(index)
        claims.append(
            FoundClaim(
                text=text,
                status=status,
                responder=subject,
                sourcing=_sourcing(f"{text} {sentence}", own),
                own_statement=own,
            )
        )
    return claims


def _clean_speaker(who: str) -> tuple[str, str]:
    """The speaker as printed and the organisation named with them ("de Novalys")."""
    who = re.sub(r"^(?:et|and|mais|but)\s+", "", who.strip(), flags=re.IGNORECASE)
    organisation = ""
    match = ORGANISATION_OF_RE.search(who)
    if match and PERSON_WORDS.search(who[: match.start()]):
        organisation = match.group("org").strip()
        who = who[: match.start()].strip()
    # "Une porte-parole a déclaré" opens the sentence: the label reads "une porte-parole".
    first, _sep, rest = who.partition(" ")
    articles = ("Un", "Une", "Le", "La", "Sa", "Son", "Leur", "A", "An", "The", "Its", "Their")
    if first in articles and rest and rest[0].islower():
        who = f"{first.lower()} {rest}"
    return who[:200], organisation


def find_quotes(sentence: str) -> list[FoundQuote]:
    quotes = []
    for match in QUOTE_RE.finditer(sentence):
        text = (match.group("a") or match.group("b") or match.group("c") or "").strip()
        text = text.rstrip(",").strip()
        if len(text.split()) < 3:
            continue  # « Forge »: a name in quotes, not a quote
        before, after = sentence[: match.start()], sentence[match.end() :]
        who = ""
        found = SPEAKER_BEFORE_RE.search(before)
        if found:
            who = found.group("who")
        else:
            for regex in SPEAKER_AFTER_RES:
                found = regex.search(after)
                if found:
                    who = found.group("who")
                    break
        if not who.strip():
            continue
        label, organisation = _clean_speaker(who)
        quotes.append(FoundQuote(text=text, speaker_label=label, organisation=organisation))
    return quotes


def find_sources(sentence: str, anonymous_name: str) -> list[FoundSource]:
    if QUOTE_RE.search(sentence):
        # "« … », selon X": X is the speaker, not a publication.
        return []
    sources = []
    if ANONYMOUS_RE.search(sentence):
        sources.append(FoundSource(name=anonymous_name, role="anonymous"))
    for regex in OUTLET_RES:
        for match in regex.finditer(sentence):
            name = match.group("name").strip()
            if name.endswith(".") and not re.search(r"\b(?:Inc|Corp|Ltd|Co)\.$", name):
                name = name.rstrip(".")
            if ANONYMOUS_RE.match(match.group(0)) or name.split()[0] in ("Selon", "According"):
                continue
            sources.append(FoundSource(name=name[:200], role="outlet"))
    return sources


def is_followup_promise(sentence: str) -> bool:
    return bool(FOLLOWUP_RE.search(sentence))


def organisation_candidates(text: str) -> list[str]:
    """Names that look like organisations: "… Group", "… Inc.", acronyms."""
    names = [m.group("name").strip() for m in ORG_PATTERN_RE.finditer(text)]
    for match in ACRONYM_RE.finditer(text):
        name = match.group("name")
        if name in NOT_NAMES or QUARTER_RE.match(name) or any(name in n.split() for n in names):
            continue
        names.append(name)
    return list(dict.fromkeys(names))


def name_candidates(text: str) -> list[str]:
    """Runs of capitalised words inside sentences ("Léa Morel"), for the journalist to check."""
    return list(dict.fromkeys(m.group("name") for m in CAPITALISED_RE.finditer(text)))


def image_note(note: str) -> dict[str, str]:
    """The pending lead image's attribution stated by the note, keyed by Image field names."""
    note = note.strip()
    result: dict[str, str] = {"note": note}
    if not AI_WORD_RE.search(note):
        result["credit_line"] = note[:300]
        return result
    result["digital_source_type"] = TRAINED_ALGORITHMIC_MEDIA
    system = next((name for name in AI_SYSTEMS if name.lower() in note.lower()), "")
    if not system:
        match = AI_SYSTEM_RE.search(note)
        system = match.group("name") if match else ""
    if system:
        result["ai_system"] = system[:100]
    licensor = LICENSOR_RE.search(note)
    if licensor:
        result["licensor_name"] = licensor.group("name").rstrip(".")[:200]
        result["licence_statement"] = licensor.group(0).rstrip(".")
    if PAID_RE.search(note):
        result["licence_basis"] = "paid_plan_ownership"
    elif NC_RE.search(note):
        result["licence_basis"] = "non_commercial_creative_commons"
    elif licensor:
        result["licence_basis"] = "provider_licence"
    return result
