"""Compose GDELT 2.0 export rows for the tests: 61 tab-separated fields, written by hand for the
project (no GDELT data is committed). ``python tests/gdelt/compose.py`` rewrites the fixture
files from FIXTURE below; tests/test_gdelt.py also builds rows with ``row()``.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from riskengine.ingest.gdelt import COLUMNS  # noqa: E402

# Places as GDELT gives them: (type, full name, FIPS country, ADM1, ADM2, lat, long, feature id).
PLACES: dict[str, tuple[str, ...]] = {
    "kyiv": ("4", "Kyiv, Kyyiv, Misto, Ukraine", "UP", "UP12", "28554", "50.4333", "30.5167", "-1044367"),
    "kharkiv": ("4", "Kharkiv, Kharkivs'ka Oblast', Ukraine", "UP", "UP07", "28540", "50", "36.25", "-1038947"),
    "izmail": ("4", "Izmail, Odes'ka Oblast', Ukraine", "UP", "UP17", "28560", "45.35", "28.8367", "-1039447"),
    "odesa": ("4", "Odesa, Odes'ka Oblast', Ukraine", "UP", "UP17", "28560", "46.4775", "30.7326", "-1042233"),
    "ukraine": ("1", "Ukraine", "UP", "UP", "", "49", "32", "UP"),
    "moscow": ("4", "Moscow, Moskva, Russia", "RS", "RS48", "25106", "55.7522", "37.6156", "-2960561"),
    "belgorod": ("4", "Belgorod, Belgorodskaya Oblast', Russia", "RS", "RS09", "25090", "50.6107", "36.5802", "-2951003"),
    "istanbul": ("4", "Istanbul, Istanbul, Turkey", "TU", "TU34", "49735", "41.0186", "28.9647", "-755376"),
    "washington": ("3", "Washington, District of Columbia, United States", "US", "USDC", "DC001", "38.8951", "-77.0364", "531871"),
    "brussels": ("4", "Brussels, Bruxelles-Capitale, Belgium", "BE", "BE11", "3976", "50.8333", "4.3333", "-1955538"),
    "gaza": ("4", "Gaza, Gaza Strip, Gaza Strip", "GZ", "GZ00", "", "31.5", "34.4667", "-797156"),
    # GDELT's stand-ins where its gazetteer has no ADM1 name (both shapes seen in real exports)
    "lutsk_general": ("4", "Lutsk, Ukraine (general), Ukraine", "UP", "UP00", "", "50.7472", "25.3254", "-1046711"),
    "rzeszow_code": ("4", "Rzeszow, (PL80), Poland", "PL", "PL80", "", "50.0413", "21.999", "-530932"),
    "region_general": ("5", "Ukraine (general), Ukraine", "UP", "UP00", "", "49", "32", "UP00"),
    "nowhere": ("0", "", "", "", "", "", "", ""),
    "atlantis": ("1", "Atlantis", "ZZ", "ZZ", "", "10", "10", "ZZ"),
}

ACTORS: dict[str, tuple[str, str, str, str]] = {
    # key: (CAMEO actor code, name, country code, type1 code)
    "rus": ("RUS", "RUSSIA", "RUS", ""),
    "rusmil": ("RUSMIL", "RUSSIAN MILITARY", "RUS", "MIL"),
    "rusgov": ("RUSGOV", "VLADIMIR PUTIN", "RUS", "GOV"),
    "ukr": ("UKR", "UKRAINE", "UKR", ""),
    "ukrmil": ("UKRMIL", "UKRAINIAN ARMY", "UKR", "MIL"),
    "ukrgov": ("UKRGOV", "VOLODYMYR ZELENSKY", "UKR", "GOV"),
    "ukrcvl": ("UKRCVL", "CIVILIAN", "UKR", "CVL"),
    "usagov": ("USAGOV", "DONALD TRUMP", "USA", "GOV"),
    "tur": ("TURGOV", "RECEP TAYYIP ERDOGAN", "TUR", "GOV"),
    "eu": ("IGOEUREEC", "EUROPEAN UNION", "", "IGO"),
    "ukrprotest": ("UKROPP", "PROTESTER", "UKR", "OPP"),
    "none": ("", "", "", ""),
}


def row(
    gid: int = 1200000001,
    day: str = "20250704",
    code: str = "190",
    actor1: str = "rusmil",
    actor2: str = "ukrmil",
    place: str = "kyiv",
    goldstein: str = "-10.0",
    mentions: str = "10",
    sources: str = "1",
    articles: str = "10",
    tone: str = "-6.5",
    url: str = "https://www.example-news.com/a/1",
    added: str = "20250704120000",
    root_event: str = "1",
    quad: str = "4",
    columns: int | None = None,
    **overrides: str,
) -> str:
    """One tab-separated row; keyword overrides set any column by its codebook name."""
    values = dict.fromkeys(COLUMNS, "")
    values.update(GLOBALEVENTID=str(gid), SQLDATE=day, MonthYear=day[:6], Year=day[:4], FractionDate=f"{day[:4]}.5068")
    for n, key in (("1", actor1), ("2", actor2)):
        code_, name, country, type1 = ACTORS[key]
        values[f"Actor{n}Code"], values[f"Actor{n}Name"], values[f"Actor{n}CountryCode"], values[f"Actor{n}Type1Code"] = code_, name, country, type1
        if key == "eu":
            values[f"Actor{n}KnownGroupCode"] = "EEC"
    values.update(
        IsRootEvent=root_event, EventCode=code, EventBaseCode=code[:3], EventRootCode=code[:2], QuadClass=quad,
        GoldsteinScale=goldstein, NumMentions=mentions, NumSources=sources, NumArticles=articles, AvgTone=tone,
        DATEADDED=added, SOURCEURL=url,
    )  # fmt: skip
    geo = PLACES[place]
    for prefix in ("Actor1Geo", "Actor2Geo", "ActionGeo"):
        for suffix, value in zip(("Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID"), geo, strict=True):
            values[f"{prefix}_{suffix}"] = value
    values.update(overrides)
    fields = [values[c] for c in COLUMNS]
    if columns is not None:
        fields = fields[:columns] if columns < len(fields) else fields + [""] * (columns - len(fields))
    return "\t".join(fields)


# The fixture day: what each row is for is in its comment; tests/test_gdelt.py checks each.
FIXTURE: list[str] = [
    # Material conflict
    row(1200000001, code="190", actor1="rusmil", actor2="ukrmil", place="kharkiv", url="https://www.kyivindependent.com/fighting-kharkiv"),
    row(1200000002, code="195", actor1="rusmil", actor2="ukr", place="odesa", goldstein="-10.0", sources="4", articles="12", url="https://www.reuters.com/world/odesa-strike"),
    row(1200000003, code="1952", actor1="rus", actor2="ukr", place="izmail", goldstein="-10.0", url="https://www.bbc.com/news/izmail-drones"),
    row(1200000004, code="194", actor1="ukrmil", actor2="rus", place="belgorod", url="https://tass.com/belgorod-shelling"),
    row(1200000005, code="202", actor1="rusmil", actor2="ukrcvl", place="kharkiv", goldstein="-10.0", url="https://www.example-news.com/mass-killing"),
    row(1200000006, code="181", actor1="rusmil", actor2="ukrcvl", place="kharkiv", goldstein="-9.0", url="https://www.example-news.com/abduction"),
    row(1200000007, code="173", actor1="rusgov", actor2="ukrcvl", place="moscow", goldstein="-5.0", quad="4", url="https://meduza.io/arrest"),
    # Three reports of one air strike on Kyiv (same day, root 19, RUS -> UKR, same feature): one event
    row(1200000010, code="190", actor1="rusmil", actor2="ukr", place="kyiv", mentions="20", sources="12", articles="20", tone="-8.0", url="https://www.reuters.com/kyiv-attack"),
    row(1200000011, code="195", actor1="rus", actor2="ukrmil", place="kyiv", mentions="5", sources="2", articles="5", tone="-4.0", url="https://www.apnews.com/kyiv-attack"),
    row(1200000012, code="193", actor1="rusmil", actor2="ukrgov", place="kyiv", mentions="5", sources="1", articles="5", tone="-6.0", url="https://www.reuters.com/kyiv-attack-update"),
    # Not a duplicate of those: other roles (UKR -> RUS), other day, other place
    row(1200000013, code="190", actor1="ukrmil", actor2="rusmil", place="kyiv", url="https://www.example-news.com/kyiv-other-roles"),
    row(1200000014, day="20250703", code="190", actor1="rusmil", actor2="ukr", place="kyiv", url="https://www.example-news.com/kyiv-day-before"),
    row(1200000015, code="190", actor1="rusmil", actor2="ukr", place="ukraine", url="https://www.example-news.com/ukraine-country-level"),
    # Protests and riots
    row(1200000020, code="141", actor1="ukrprotest", actor2="ukrgov", place="kyiv", goldstein="-6.5", quad="3", url="https://www.example-news.com/protest"),
    row(1200000021, code="145", actor1="ukrprotest", actor2="none", place="odesa", goldstein="-7.5", quad="3", url="https://www.example-news.com/riot"),
    # Diplomacy
    row(1200000030, code="046", actor1="rusgov", actor2="ukrgov", place="istanbul", goldstein="7.0", quad="1", tone="1.5", url="https://www.aa.com.tr/istanbul-talks"),
    row(1200000031, code="042", actor1="usagov", actor2="rusgov", place="washington", goldstein="1.9", quad="1", url="https://www.example-news.com/trump-visit"),
    row(1200000032, code="042", actor1="rus", actor2="tur", place="istanbul", goldstein="1.9", quad="1", url="https://www.example-news.com/delegation-visit"),
    row(1200000033, code="163", actor1="eu", actor2="rus", place="brussels", goldstein="-8.0", quad="4", url="https://www.example-news.com/eu-sanctions"),
    row(1200000034, code="1312", actor1="usagov", actor2="rus", place="washington", goldstein="-5.8", quad="3", url="https://www.example-news.com/threat"),
    row(1200000035, code="0871", actor1="rusgov", actor2="ukr", place="moscow", goldstein="9.0", quad="2", url="https://www.example-news.com/truce"),
    row(1200000036, code="073", actor1="eu", actor2="ukr", place="kyiv", goldstein="7.4", quad="2", url="https://www.example-news.com/aid"),
    row(1200000037, code="172", actor1="usagov", actor2="rus", place="washington", goldstein="-5.0", quad="4", url="https://www.example-news.com/visa-bans"),
    # Earlier day, late in the file: must come first in the output (date order)
    row(1200000040, day="20250701", code="190", actor1="rusmil", actor2="ukrmil", place="kharkiv", url="https://www.example-news.com/late-report"),
    # Rejected: CAMEO codes the model does not represent
    row(1200000050, code="010", actor1="rusgov", actor2="none", place="moscow", goldstein="0.0", quad="1", url="https://www.example-news.com/statement"),
    row(1200000051, code="051", actor1="tur", actor2="ukrgov", place="istanbul", goldstein="3.4", quad="1", url="https://www.example-news.com/praise"),
    # Rejected: no place, an unknown FIPS code
    row(1200000052, code="190", place="nowhere", url="https://www.example-news.com/no-place"),
    row(1200000053, code="190", place="atlantis", url="https://www.example-news.com/atlantis"),
    # Rejected: malformed
    row(1200000054, columns=58, url="https://www.example-news.com/gdelt1"),
    row(1200000055, day="2025-07-04", url="https://www.example-news.com/bad-date"),
    row(1200000056, GoldsteinScale="very bad", url="https://www.example-news.com/bad-number"),
    row(1200000057, code="19X", url="https://www.example-news.com/bad-code"),
    row(1200000058, ActionGeo_Lat="123.0", url="https://www.example-news.com/bad-latitude"),
]

HEADER = "\t".join(COLUMNS)


def main() -> None:
    (HERE / "20250704.export.CSV").write_text("\n".join(FIXTURE) + "\n", encoding="utf-8")
    # The same rows with a header line and Windows line ends, as a .tsv: a second shape.
    (HERE / "with_header.tsv").write_text("\r\n".join([HEADER, *FIXTURE[:5]]) + "\r\n", encoding="utf-8")


if __name__ == "__main__":
    main()
