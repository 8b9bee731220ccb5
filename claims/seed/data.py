"""The article the project starts from and the 13 claims in it.

A copy kept in the project (never read from ../shared at run time). Quotes
are verbatim from ``article.txt``; claimants and reporting channels follow the
verification desk's table of the article's claims.
"""

from __future__ import annotations

from pathlib import Path

ARTICLE_TITLE = "Syrian opposition advance towards Hama: fierce battles near the city"
ARTICLE_PUBLISHER = "Al Jazeera"
ARTICLE_TEXT_PATH = Path(__file__).with_name("article.txt")

# name -> (kind, organisation it belongs to / speaks for, description)
CLAIMANTS: dict[str, tuple[str, str | None, str]] = {
    "Al Jazeera": ("organisation", None, "Qatar-based broadcaster; publisher of the seed article."),
    "Sanad (Al Jazeera verification agency)": ("organisation", "Al Jazeera", "Al Jazeera's verification unit."),
    "Syrian government": ("organisation", None, "The government of President Bashar al-Assad."),
    "SANA (Syrian state news agency)": ("organisation", "Syrian government", "Syrian Arab News Agency, state media."),
    "Opposition forces": ("organisation", None, "Opposition fighters led by HTS with the Turkiye-backed SNA."),
    "Opposition Military Operations Department": (
        "organisation",
        "Opposition forces",
        "The opposition's military command; posts on Telegram.",
    ),
    "Opposition commanders": ("person", "Opposition forces", "Commanders quoted by Al Jazeera's correspondent."),
    "Unknown social media poster": ("person", None, "Whoever first posted the video; not identified."),
    "dpa (German news agency)": ("organisation", None, "Deutsche Presse-Agentur."),
    "Estimate cited by Al Jazeera": ("organisation", None, "A casualty estimate the article cites without a source."),
    "United Nations": ("organisation", None, ""),
    "Geir Pedersen, UN special envoy for Syria": ("person", "United Nations", ""),
    "Turkish government (Ankara)": ("organisation", None, ""),
}

# key -> (name, kind, publisher, notes)
SOURCES: dict[str, tuple[str, str, str | None, str]] = {
    "article": (
        "Al Jazeera report on the offensive towards Hama (early December 2024)",
        "report",
        "Al Jazeera",
        "The seed article. Its URL is not known.",
    ),
    "state_media": (
        "Syrian state media (SANA) reports on the fighting near Hama",
        "report",
        "SANA (Syrian state news agency)",
        "Known only as reported by Al Jazeera.",
    ),
    "telegram": (
        "Opposition Military Operations Department Telegram channel",
        "telegram",
        "Opposition Military Operations Department",
        "Channel post on captures in eastern Hama; known only as reported by Al Jazeera.",
    ),
    "video": ("Video of al-Golani at the Citadel of Aleppo (social media)", "social", None, "Original poster unknown."),
    "sanad": (
        "Sanad verification of the al-Golani video",
        "report",
        "Sanad (Al Jazeera verification agency)",
        "Al Jazeera's verification agency confirmed the video.",
    ),
    "dpa": ("dpa statement on the death of Anas Alkharboutli", "statement", "dpa (German news agency)", ""),
    "pedersen": (
        "Geir Pedersen's address to the UN Security Council",
        "statement",
        "United Nations",
        "Said on Tuesday, per the article.",
    ),
    "koseoglu": (
        "Al Jazeera correspondent Sinem Koseoglu, reporting from Menagh military air base",
        "broadcast",
        "Al Jazeera",
        "",
    ),
}

# Each claim: text, claimant, status, why (the import rationale), links as (source key, role, quote).
CLAIMS: list[dict] = [
    {
        "text": "The government counteroffensive pushed back opposition fighters attempting to advance on Hama.",
        "claimant": "Syrian government",
        "status": "unconfirmed",
        "why": "One party's claim, reported via Syrian state media.",
        "links": [
            (
                "article",
                "made",
                "The Syrian government said its counteroffensive has pushed back opposition fighters attempting to advance to the strategic central city of Hama",
            ),
            ("state_media", "made", ""),
        ],
    },
    {
        "text": "Opposition fighters retreated some 20 km (12 miles) from government-held Hama.",
        "claimant": "SANA (Syrian state news agency)",
        "status": "unconfirmed",
        "why": "State media only.",
        "links": [
            (
                "article",
                "made",
                "Syrian state media SANA on Wednesday said opposition fighters retreated some 20km (12 miles) from government-held Hama",
            ),
            ("state_media", "made", ""),
        ],
    },
    {
        "text": "Government troops backed by Russian airpower entrenched themselves on the outskirts of Hama.",
        "claimant": "SANA (Syrian state news agency)",
        "status": "unconfirmed",
        "why": "State media only.",
        "links": [
            (
                "article",
                "made",
                "as government troops backed by Russian airpower entrenched themselves in the outskirts",
            ),
            ("state_media", "made", ""),
        ],
    },
    {
        "text": "Opposition forces captured five Iran-backed fighters, two of them from Afghanistan, in eastern Hama.",
        "claimant": "Opposition Military Operations Department",
        "status": "unconfirmed",
        "why": 'The article: "The claims could not be independently confirmed."',
        "links": [
            (
                "article",
                "made",
                "The opposition through its Military Operations Department channel on the Telegram app said they captured five Iran-backed fighters, of whom two were from Afghanistan",
            ),
            ("telegram", "made", ""),
        ],
    },
    {
        "text": "Opposition forces captured three Syrian troops from the 25th Special Mission Forces Division in eastern Hama.",
        "claimant": "Opposition Military Operations Department",
        "status": "unconfirmed",
        "why": 'The article: "The claims could not be independently confirmed."',
        "links": [
            (
                "article",
                "made",
                "as well as three Syrian troops from its 25th Special Mission Forces Division in eastern Hama. The claims could not be independently confirmed.",
            ),
            ("telegram", "made", ""),
        ],
    },
    {
        "text": "Opposition forces captured large parts of Aleppo and towns and villages in southern Idlib province in the past week.",
        "claimant": "Opposition forces",
        "status": "confirmed",
        "why": "Reported independently by Al Jazeera.",
        "links": [
            (
                "article",
                "supports",
                "Forces opposed to Syrian President Bashar al-Assad have staged their biggest advance in years over the past week, capturing large parts of the northern city of Aleppo, the country’s largest, as well as towns and villages in southern parts of the northwestern Idlib province.",
            ),
        ],
    },
    {
        "text": "A video shows HTS leader Abu Mohammed al-Golani on Wednesday walking in front of the Citadel of Aleppo.",
        "claimant": "Unknown social media poster",
        "status": "confirmed",
        "why": "Verified by Al Jazeera's Sanad agency, independent of the poster.",
        "links": [
            ("video", "made", ""),
            (
                "sanad",
                "supports",
                "A video circulating on social media confirmed by Al Jazeera’s Sanad verification agency showed HTS leader Abu Mohammed al-Golani on Wednesday surrounded by supporters as he walked in front of the Citadel of Aleppo",
            ),
            (
                "article",
                "made",
                "A video circulating on social media confirmed by Al Jazeera’s Sanad verification agency showed HTS leader Abu Mohammed al-Golani on Wednesday surrounded by supporters as he walked in front of the Citadel of Aleppo",
            ),
        ],
    },
    {
        "text": "Anas Alkharboutli, 32, a Syrian photographer working for dpa, was killed in an air strike near Hama.",
        "claimant": "dpa (German news agency)",
        "status": "unconfirmed",
        "why": "One source so far.",
        "links": [
            (
                "article",
                "made",
                "A Syrian photographer working for the German news agency dpa was killed in an air strike near the city of Hama, the agency said on Wednesday. Anas Alkharboutli, 32",
            ),
            ("dpa", "made", ""),
        ],
    },
    {
        "text": "The war has killed an estimated half-million people over 13 years.",
        "claimant": "Estimate cited by Al Jazeera",
        "status": "unconfirmed",
        "why": "An estimate; no source named.",
        "links": [
            ("article", "made", "has killed an estimated half-million people during the past 13 years"),
        ],
    },
    {
        "text": "Tens of thousands have been displaced by the fighting that started last week.",
        "claimant": "Geir Pedersen, UN special envoy for Syria",
        "status": "unconfirmed",
        "why": "One source.",
        "links": [
            (
                "article",
                "made",
                "Tens of thousands have been displaced by the fighting, which started last week, Geir Pedersen, the UN special envoy for Syria, said Tuesday.",
            ),
            ("pedersen", "made", ""),
        ],
    },
    {
        "text": "Opposition commanders say their next target will be Damascus.",
        "claimant": "Opposition commanders",
        "status": "unconfirmed",
        "why": "A statement of intent.",
        "links": [
            ("article", "made", "“Their next target will be Damascus.”"),
            ("koseoglu", "made", "“Their next target will be Damascus.”"),
        ],
    },
    {
        "text": "More than 3 million Syrian refugees are in Turkiye.",
        "claimant": "Turkish government (Ankara)",
        "status": "unconfirmed",
        "why": "One party's figure.",
        "links": [
            ("article", "made", "to help ensure the safe return of more than 3 million Syrian refugees"),
        ],
    },
    {
        "text": "Lattakia is a strategic Russian naval base.",
        "claimant": "Al Jazeera",
        "status": "disputed",
        "why": "Russia's naval facility is at Tartus; Hmeimim air base is in Latakia province.",
        "links": [
            (
                "article",
                "made",
                "Lattakia is a key political stronghold for al-Assad and Syria’s Alawite community, as well as a strategic Russian naval base.",
            ),
        ],
    },
]
