"""Each sample of wire copy, and what the reader takes from it (pinned)."""

from decimal import Decimal
from pathlib import Path

import pytest

from articles.formats import wirecopy

SAMPLES = Path(__file__).parent / "wirecopy_samples"


def _text(value: Decimal) -> str:
    return format(value.normalize(), "f")


def summary(copy: wirecopy.WireCopy) -> dict:
    """What a journalist checks after an import, in a form a test can pin."""
    return {
        "language": copy.language,
        "headline": copy.headline,
        "standfirst": copy.standfirst,
        "claims": [(c.status, c.responder, c.sourcing, c.text) for c in copy.claims],
        "quotes": [(q.text, q.speaker_label, q.organisation) for q in copy.quotes],
        "figures": [
            (_text(f.value), f.value_high and _text(f.value_high), f.unit, f.approximate)
            for f in copy.figures
        ],
        "dates": [(d.date.isoformat(), d.precision) for d in copy.dates],
        "boxes": [(b.title, b.items) for b in copy.boxes],
        "sources": [(s.name, s.role) for s in copy.sources],
        "promise": copy.promise,
        "image": {k: v for k, v in copy.image.items() if k != "note"},
        "organisations": copy.organisations,
        "warnings": [code for code, _message in copy.warnings],
    }


# Read from the samples once, then checked line by line against the copy.
PINNED: dict[str, dict] = {
    "damaged_bom.txt": {
        "language": "en",
        "headline": "Veltra signs a €2.5 billion deal",
        "standfirst": "Veltra signed a €2.5 billion supply deal, according to Reuters.",
        "claims": [
            (
                "no_comment",
                "the buyer,",
                "anonymous_sources",
                "Solara, the buyer, declined to comment on the price it agreed to pay.",
            )
        ],
        "quotes": [],
        "figures": [("2500000000", None, "EUR", False)],
        "dates": [("2025-01-01", "month")],
        "boxes": [],
        "sources": [("Reuters", "outlet")],
        "promise": "",
        "image": {},
        "organisations": [],
        "warnings": [],
    },
    "damaged_crlf.txt": {
        "language": "fr",
        "headline": "Arcturus confirme des discussions",
        "standfirst": "Le concepteur de puces confirme des discussions exploratoires.",
        "claims": [
            (
                "confirmed",
                "Le concepteur de puces",
                "official_statement",
                "Le concepteur de puces confirme des discussions exploratoires.",
            ),
            (
                "confirmed",
                "Arcturus",
                "official_statement",
                "Arcturus a confirmé des discussions exploratoires avec Novalys en octobre 2023.",
            ),
        ],
        "quotes": [],
        "figures": [],
        "dates": [("2023-10-01", "month")],
        "boxes": [("C'est nous qui soulignons :", [("✅", "Discussions confirmées.")])],
        "sources": [],
        "promise": "",
        "image": {},
        "organisations": [],
        "warnings": [],
    },
    "damaged_lost_emoji.txt": {
        "language": "en",
        "headline": "OpenAI would neither confirm nor deny the report",
        "standfirst": "OpenAI is said to be in talks to raise $7 trillion, "
        "according to reports. OpenAI neither confirmed nor "
        "denied.",
        "claims": [
            (
                "neither_confirmed_nor_denied",
                "OpenAI",
                "anonymous_sources",
                "OpenAI is said to be in talks to raise $7 trillion, according to reports.",
            )
        ],
        "quotes": [],
        "figures": [("7000000000000", None, "USD", False)],
        "dates": [],
        "boxes": [
            (
                "Key points",
                [
                    ("", "Talks reported on a $7 trillion raise."),
                    ("", "OpenAI neither confirmed nor denied."),
                    ("", "OpenAI has not commented further."),
                    ("📅", "Talks began in September 2023."),
                ],
            )
        ],
        "sources": [("Anonymous sources", "anonymous")],
        "promise": "We will keep watching this story.",
        "image": {},
        "organisations": [],
        "warnings": ["lost_emoji"],
    },
    "damaged_mojibake.txt": {
        "language": "fr",
        "headline": "Novalys a confirmé un accord avec Arcturus",
        "standfirst": "L’éditeur de The Circuit a appris que l’accord "
        "porterait sur 2,5 millions d’euros.",
        "claims": [
            (
                "confirmed",
                "Novalys",
                "official_statement",
                "Novalys a confirmé l’accord en février 2024.",
            )
        ],
        "quotes": [("Nous sommes ravis", "une porte-parole", "Novalys")],
        "figures": [("2500000", None, "EUR", False)],
        "dates": [("2024-02-01", "month")],
        "boxes": [("À retenir", [("💰", "2,5 millions d’euros.")])],
        "sources": [("The Circuit", "outlet")],
        "promise": "",
        "image": {},
        "organisations": [],
        "warnings": ["encoding_repaired"],
    },
    "damaged_no_headline.txt": {
        "language": "fr",
        "headline": "Selon certaines informations, Novalys chercherait à "
        "lever 7 000 milliards de dollars",
        "standfirst": "",
        "claims": [
            (
                "neither_confirmed_nor_denied",
                "L'entreprise",
                "anonymous_sources",
                "Selon certaines informations, Novalys chercherait à "
                "lever 7 000 milliards de dollars.",
            )
        ],
        "quotes": [],
        "figures": [("7000000000000", None, "USD", False)],
        "dates": [("2023-09-01", "month")],
        "boxes": [],
        "sources": [("Sources anonymes", "anonymous")],
        "promise": "La rédaction continuera à suivre ce dossier.",
        "image": {},
        "organisations": [],
        "warnings": ["headline_made"],
    },
    "en_aurora_pharma.txt": {
        "language": "en",
        "headline": "Aurora Pharma's trial results disputed by researchers",
        "standfirst": "Aurora Pharma said its drug cut symptoms by 40 to 60 "
        "percent, a finding disputed by independent researchers.",
        "claims": [
            (
                "disputed",
                "independent researchers",
                "anonymous_sources",
                "Aurora Pharma said its drug cut symptoms by 40 to 60 "
                "percent, a finding disputed by independent researchers.",
            ),
            (
                "no_comment",
                "Aurora Pharma",
                "anonymous_sources",
                "Aurora Pharma has not commented on the criticism of its "
                "trial, which ended on March 12, 2024 and cost €80 "
                "million.",
            ),
        ],
        "quotes": [("The data speak for themselves", "Aurora's chief medical officer", "")],
        "figures": [("40", "60", "percent", False), ("80000000", None, "EUR", False)],
        "dates": [("2024-03-12", "day")],
        "boxes": [
            (
                "At a glance",
                [
                    ("💊", "Symptoms down 40–60%, the company says."),
                    ("🔬", "Independent researchers dispute the finding."),
                ],
            )
        ],
        "sources": [],
        "promise": "",
        "image": {
            "digital_source_type": "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia",
            "ai_system": "Stable Diffusion",
        },
        "organisations": [],
        "warnings": [],
    },
    "en_kestrel_robotics.txt": {
        "language": "en",
        "headline": "Kestrel Robotics declines to comment on layoffs",
        "standfirst": "Kestrel Robotics declined to comment on reports that "
        "it will cut about 15% of its staff.",
        "claims": [
            (
                "no_comment",
                "Kestrel Robotics",
                "anonymous_sources",
                "Kestrel Robotics declined to comment on reports that "
                "it will cut about 15% of its staff.",
            )
        ],
        "quotes": [("This is a difficult week for everyone", "chief executive Ana Ruiz", "")],
        "figures": [("15", None, "percent", True), ("350000000", None, "USD", False)],
        "dates": [("2024-03-01", "month"), ("2024-06-03", "day")],
        "boxes": [
            (
                "Key takeaways",
                [
                    ("🤖", "Kestrel Robotics declined to comment."),
                    ("📉", "About 15% of staff affected."),
                ],
            )
        ],
        "sources": [("Anonymous sources", "anonymous")],
        "promise": "We will keep watching the company.",
        "image": {},
        "organisations": [],
        "warnings": [],
    },
    "en_novalys_chips.txt": {
        "language": "en",
        "headline": "Novalys in talks with Arcturus over its own AI chips",
        "standfirst": "The AI company is said to be working with the chip "
        "designer Arcturus, according to The Information.",
        "claims": [
            (
                "neither_confirmed_nor_denied",
                "The company",
                "anonymous_sources",
                "Novalys is seeking $7 trillion to build chip plants, according to reports.",
            )
        ],
        "quotes": [("We don't comment on rumours", "a spokesperson", "")],
        "figures": [("7000000000000", None, "USD", False), ("70", "95", "percent", False)],
        "dates": [("2023-09-01", "month"), ("2024-01-01", "month")],
        "boxes": [
            (
                "Key points",
                [
                    ("🕵️", "Anonymous sources describe a partnership with Arcturus."),
                    ("💰", "Funding target: up to $7 trillion."),
                    ("📈", "One supplier holds 70–95% of the market."),
                ],
            )
        ],
        "sources": [("The Information", "outlet"), ("Anonymous sources", "anonymous")],
        "promise": "We will keep watching this story.",
        "image": {
            "digital_source_type": "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia",
            "ai_system": "Midjourney",
            "licensor_name": "Midjourney",
            "licence_statement": "licensed by the service provider Midjourney",
            "licence_basis": "provider_licence",
        },
        "organisations": [],
        "warnings": [],
    },
    "en_orbitel_satellites.txt": {
        "language": "en",
        "headline": "Orbitel denies plan to sell its satellite unit",
        "standfirst": "Orbitel Inc. denied on Tuesday that it planned to "
        "sell its satellite business, after a report by "
        "Bloomberg.",
        "claims": [
            (
                "denied",
                "Orbitel Inc.",
                "official_statement",
                "Orbitel Inc. denied on Tuesday that it planned to "
                "sell its satellite business, after a report by "
                "Bloomberg.",
            ),
            (
                "denied",
                "Orbitel",
                "other_outlet",
                "According to Bloomberg, the unit could fetch about $1.2 billion.",
            ),
        ],
        "quotes": [("We are not selling anything", "a spokesperson", "Orbitel")],
        "figures": [("1200000000", None, "USD", True), ("12", "15", "percent", False)],
        "dates": [],
        "boxes": [
            (
                "Highlights",
                [
                    ("🛰️", "Orbitel denies a sale of its satellite unit."),
                    ("💵", "The unit could fetch about $1.2 billion."),
                ],
            )
        ],
        "sources": [("Bloomberg", "outlet")],
        "promise": "We will continue to follow this story.",
        "image": {"credit_line": "Jane Doe / Orbitel"},
        "organisations": ["Orbitel Inc."],
        "warnings": [],
    },
    "en_spacing_oddities.txt": {
        "language": "en",
        "headline": "Quantis AG posts record profit",
        "standfirst": "Quantis AG reported a net profit of $2.5bn for 2023 ,a record.",
        "claims": [
            (
                "confirmed",
                "The Swiss group",
                "official_statement",
                "The Swiss group confirmed that profit rose by about 20%.",
            )
        ],
        "quotes": [("We expect growth to continue next year.", "a spokesperson", "")],
        "figures": [
            ("2500000000", None, "USD", False),
            ("20", None, "percent", True),
            ("30", "35", "percent", False),
        ],
        "dates": [],
        "boxes": [
            ("Highlights", [("📊", "Record profit of $2.5bn."), ("📈", "Profit up about 20%.")])
        ],
        "sources": [],
        "promise": "",
        "image": {},
        "organisations": ["Quantis AG"],
        "warnings": [],
    },
    "en_tidewater_bank.txt": {
        "language": "en",
        "headline": "Tidewater Bank confirms talks with regulators",
        "standfirst": "Tidewater Bank confirmed on Monday that it was in "
        "talks with regulators over a £300m fine.",
        "claims": [
            (
                "confirmed",
                "Tidewater Bank",
                "official_statement",
                "Tidewater Bank confirmed on Monday that it was in talks "
                "with regulators over a £300m fine.",
            ),
            (
                "neither_confirmed_nor_denied",
                "The regulator",
                "anonymous_sources",
                "The regulator neither confirmed nor denied the amount.",
            ),
        ],
        "quotes": [("We are cooperating fully.", "a spokesperson", "Tidewater Bank")],
        "figures": [("300000000", None, "GBP", False), ("8", None, "percent", False)],
        "dates": [],
        "boxes": [
            (
                "Key points",
                [("🏦", "Talks with regulators confirmed."), ("💷", "A possible fine of £300m.")],
            )
        ],
        "sources": [("Financial Times", "outlet")],
        "promise": "We will continue to monitor this story.",
        "image": {"credit_line": "Tom Hale for The Daily Ledger"},
        "organisations": [],
        "warnings": [],
    },
    "fr_cimentis_usine.txt": {
        "language": "fr",
        "headline": "Cimentis va fermer son usine de Lorraine",
        "standfirst": "Le cimentier a annoncé la fermeture du site, qui emploie 180 personnes.",
        "claims": [
            (
                "confirmed",
                "Cimentis",
                "official_statement",
                "Cimentis a confirmé la fermeture de l'usine en décembre 2024.",
            ),
            (
                "disputed",
                "Les syndicats",
                "official_statement",
                "Les syndicats contestent le chiffre de 180 emplois supprimés.",
            ),
        ],
        "quotes": [("Nous accompagnerons chaque salarié", "la direction de Cimentis", "")],
        "figures": [],
        "dates": [("2024-12-01", "month")],
        "boxes": [
            (
                "En bref",
                [("🏭", "Fermeture prévue en décembre 2024."), ("👷", "180 emplois concernés.")],
            )
        ],
        "sources": [],
        "promise": "",
        "image": {},
        "organisations": [],
        "warnings": [],
    },
    "fr_helvio_batteries.txt": {
        "language": "fr",
        "headline": "Helvio Group lève 2,5 millions d'euros pour ses batteries",
        "standfirst": "Le fabricant lyonnais de batteries a bouclé un tour "
        "de table, selon Les Échos.",
        "claims": [
            (
                "confirmed",
                "Helvio Group",
                "official_statement",
                "Helvio Group a confirmé la levée de 2,5 millions "
                "d'euros auprès de fonds régionaux.",
            )
        ],
        "quotes": [
            ("Nous voulons produire en France dès le 3 mars 2025.", "sa directrice générale", "")
        ],
        "figures": [("2500000", None, "EUR", False), ("70", None, "percent", True)],
        "dates": [("2025-03-03", "day")],
        "boxes": [
            (
                "À retenir",
                [
                    ("🔋", "2,5 millions d'euros levés."),
                    ("♻️", "Environ 70 % de matériaux recyclés visés."),
                ],
            )
        ],
        "sources": [("Les Échos", "outlet")],
        "promise": "",
        "image": {"credit_line": "Helvio Group / Marie Lenoir"},
        "organisations": ["Helvio Group"],
        "warnings": [],
    },
    "fr_novalys_puces.txt": {
        "language": "fr",
        "headline": "Novalys discuterait avec Arcturus pour concevoir ses propres puces",
        "standfirst": "L'éditeur de The Circuit a appris que Novalys serait en "
        "discussion avec le concepteur de puces Arcturus.",
        "claims": [
            (
                "neither_confirmed_nor_denied",
                "L'entreprise",
                "anonymous_sources",
                "Selon certaines informations, Novalys chercherait à lever "
                "7 000 milliards de dollars américains pour bâtir ses "
                "usines.",
            )
        ],
        "quotes": [("Nous ne commentons pas les rumeurs", "un porte-parole", "Novalys")],
        "figures": [("7000000000000", None, "USD", False), ("70", "95", "percent", False)],
        "dates": [("2023-09-01", "month"), ("2024-01-01", "month")],
        "boxes": [
            (
                "C'est nous qui soulignons :",
                [
                    ("🕵️\u200d♀️", "Des sources anonymes évoquent un partenariat avec Arcturus."),
                    ("💰", "Jusqu'à 7 000 milliards de dollars."),
                    ("❤️", "Un marché dominé à 70-95 % par un seul fournisseur."),
                ],
            )
        ],
        "sources": [("The Circuit", "outlet"), ("Sources anonymes", "anonymous")],
        "promise": "La rédaction continuera à prêter attention à ce dossier.",
        "image": {
            "digital_source_type": "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia",
            "ai_system": "Midjourney",
            "licensor_name": "Midjourney",
            "licence_statement": "autorisée par le fournisseur de services Midjourney",
            "licence_basis": "provider_licence",
        },
        "organisations": [],
        "warnings": [],
    },
    "fr_nvidia_partenariat.txt": {
        "language": "fr",
        "headline": "NVIDIA et Maison Dupré signent un partenariat",
        "standfirst": "Le spécialiste des puces graphiques Nvidia a "
        "confirmé un accord avec le distributeur Maison "
        "Dupré, selon La Tribune.",
        "claims": [
            (
                "confirmed",
                "Le spécialiste des puces graphiques Nvidia",
                "other_outlet",
                "Le spécialiste des puces graphiques Nvidia a "
                "confirmé un accord avec le distributeur Maison "
                "Dupré, selon La Tribune.",
            ),
            (
                "denied",
                "Maison Dupré",
                "official_statement",
                "Maison Dupré a démenti toute exclusivité.",
            ),
        ],
        "quotes": [("C'est une étape importante pour nous", "un porte-parole", "Maison Dupré")],
        "figures": [("500000000", None, "EUR", False)],
        "dates": [],
        "boxes": [
            (
                "Points clés",
                [
                    ("🤝", "Un accord de 500 millions d'euros."),
                    ("🚫", "Pas d'exclusivité selon Maison Dupré."),
                ],
            )
        ],
        "sources": [("La Tribune", "outlet")],
        "promise": "La rédaction continuera à suivre ce dossier.",
        "image": {},
        "organisations": ["NVIDIA"],
        "warnings": [],
    },
    "fr_ordre_inverse.txt": {
        "language": "fr",
        "headline": "Brevia Labs prépare une offre d'IA pour les PME",
        "standfirst": "Brevia Labs lancerait une offre pour les PME en janvier "
        "2025, selon certaines informations. La start-up n'a pas "
        "commenté.",
        "claims": [
            (
                "no_comment",
                "La start-up",
                "anonymous_sources",
                "Brevia Labs lancerait une offre pour les PME en janvier "
                "2025, selon certaines informations.",
            )
        ],
        "quotes": [],
        "figures": [("3000000", None, "EUR", True)],
        "dates": [("2025-01-01", "month")],
        "boxes": [
            (
                "À retenir",
                [
                    ("🧠", "Une offre pour les PME en janvier 2025."),
                    ("💶", "Environ 3 millions d'euros investis."),
                ],
            )
        ],
        "sources": [("Sources anonymes", "anonymous")],
        "promise": "",
        "image": {
            "digital_source_type": "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia",
            "ai_system": "Midjourney",
            "licensor_name": "Midjourney",
            "licence_statement": "autorisée par le fournisseur de services Midjourney",
            "licence_basis": "provider_licence",
        },
        "organisations": ["Brevia Labs"],
        "warnings": [],
    },
    "fr_veltra_energie.txt": {
        "language": "fr",
        "headline": "Veltra n'exclut pas une fusion avec Solara",
        "standfirst": "Selon Reuters, les deux énergéticiens seraient en "
        "discussion depuis novembre 2023.",
        "claims": [
            (
                "partially_confirmed",
                "Veltra",
                "other_outlet",
                "Selon Reuters, les deux énergéticiens seraient en "
                "discussion depuis novembre 2023.",
            ),
            ("no_comment", "Solara", "anonymous_sources", "Solara n'a pas souhaité commenter."),
        ],
        "quotes": [("Aucune décision n'a été prise à ce stade.", "un porte-parole", "")],
        "figures": [("1200000000", None, "EUR", False)],
        "dates": [("2023-11-01", "month")],
        "boxes": [
            (
                "L'essentiel",
                [
                    ("⚡", "Des discussions depuis novembre 2023."),
                    ("🤝", "Un ensemble de 1,2 Md€."),
                ],
            )
        ],
        "sources": [("Reuters", "outlet"), ("Sources anonymes", "anonymous")],
        "promise": "Notre rédaction continuera de suivre ce dossier.",
        "image": {
            "digital_source_type": "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia",
            "ai_system": "DALL-E",
            "licence_basis": "paid_plan_ownership",
        },
        "organisations": [],
        "warnings": [],
    },
}


@pytest.mark.parametrize("name", sorted(p.name for p in SAMPLES.glob("*.txt")))
def test_each_sample_gives_its_pinned_result(name):
    copy = wirecopy.read((SAMPLES / name).read_bytes())

    assert summary(copy) == PINNED[name]


def test_there_are_at_least_ten_french_and_english_samples_and_the_damaged_ones():
    names = {p.name for p in SAMPLES.glob("*.txt")}
    assert len({n for n in names if n.startswith(("fr_", "en_"))}) >= 10
    assert {n for n in names if n.startswith("fr_")} and {n for n in names if n.startswith("en_")}
    assert {
        "damaged_mojibake.txt",
        "damaged_lost_emoji.txt",
        "damaged_crlf.txt",
        "damaged_bom.txt",
        "damaged_no_headline.txt",
    } <= names


def test_the_damaged_samples_are_damaged_as_their_names_say():
    assert b"\r\n" in (SAMPLES / "damaged_crlf.txt").read_bytes()
    assert (SAMPLES / "damaged_bom.txt").read_bytes().startswith(b"\xef\xbb\xbf")
    assert "Ã©" in (SAMPLES / "damaged_mojibake.txt").read_text("utf-8")
    assert "?\ufe0f" in (SAMPLES / "damaged_lost_emoji.txt").read_text("utf-8")
    assert "\u202f" in (SAMPLES / "fr_helvio_batteries.txt").read_text("utf-8")
    assert "\u00a0" in (SAMPLES / "fr_novalys_puces.txt").read_text("utf-8")


def test_repaired_mojibake_reads_as_the_french_it_was():
    copy = wirecopy.read((SAMPLES / "damaged_mojibake.txt").read_bytes())

    assert copy.headline == "Novalys a confirmé un accord avec Arcturus"
    assert "Ã" not in copy.text and "â€" not in copy.text
    assert copy.boxes[0].items == [("💰", "2,5 millions d’euros.")]
