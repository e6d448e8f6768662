"""Articles as text: front matter, Markdown masked to spaces, paragraphs, sentences, clauses.

Offsets everywhere are character offsets into the article file as read (front matter included),
so provenance points at the exact text. Markdown markup and front matter are replaced by spaces
of the same length in a working copy, never removed.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from riskengine.core.errors import InputError, Issue, Location
from riskengine.core.source import parse_yaml, read_text
from riskengine.ingest.extract.config import DEFAULT_PATTERNS, load_mapping

FRONT_MATTER_KEYS = ("title", "url", "publisher", "date", "reliability", "credibility", "country", "document")
# What newsrooms, feeds and archives call the same things: read as the key they stand for when
# that key is not given too
FRONT_MATTER_ALIASES = {
    "outlet": "publisher",
    "source": "publisher",
    "publication": "publisher",
    "organisation": "publisher",
    "organization": "publisher",
    "org": "publisher",
    "agency": "publisher",
    "network": "publisher",
    "site": "publisher",
    "headline": "title",
    "link": "url",
    "published": "date",
    "pubdate": "date",
    "published_at": "date",
    "date_published": "date",
}
# ... and the names archives and incident-report templates give the day of publication, beyond
# those listed ('report_date', 'issue_date', 'publication-date', 'date_posted'); not the day a
# clipping tool saved the page ('created', 'saved') or an edit ('updated', 'modified').
_DATE_KEY = re.compile(
    r"(?:report|issue|issued|release|released|publication|publish|published|pub|article|story|post|posted)[_ -]?date"
    r"|date[_ -]?(?:published|issued|released|posted|of[_ -]publication)"
    # ... and as front matters written in other languages name it: Spanish and Portuguese
    # ('fecha_publicacion', 'data_de_publicacao'), French ('date_de_publication'), Italian
    # ('data_pubblicazione'), German ('datum', 'veroeffentlicht'), Dutch, Polish, Turkish,
    # Indonesian, Russian and Ukrainian ('дата_публикации'), with or without accents
    r"|fecha(?:[_ -]?(?:de[_ -]?)?publicaci[oó]n)?|publicad[oa]|data[_ -]?(?:de[_ -]?|di[_ -]?)?(?:publica[cç][aã]o|pubblicazione|publikacji)"
    r"|date[_ -]?(?:de[_ -]?)?publication|publi[ée]|pubblicat[oa]|datum|ver[öo]e?ffentlicht(?:[_ -]?am)?|publicatiedatum"
    r"|tarih|yay[ıi]n[_ -]?tarihi|tanggal|дата(?:[_ -]?(?:публикации|публікації))?"
)
_FRONT = re.compile(r"\A---[ \t]*\n(.*?\n)---[ \t]*(?:\n|\Z)", re.DOTALL)
_ABBREVIATIONS = re.compile(r"(?:\b(?:U\.S|U\.N|E\.U|U\.K|Mr|Mrs|Ms|Dr|Gen|Lt|Col|Maj|Capt|Adm|Brig|Cmdr|Sen|Rep|Gov|Pres|Prof|Rev|St|Sgt|Jr|Sr|Inc|Corp|Co|Ltd|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec|Nos?|vs|approx|est|etc|e\.g|i\.e|a\.m|p\.m)|\b[A-Z])\.$")
_SENTENCE_END = re.compile(r"[.!?]+[\"”’)\]]*(?=\s+[\"“‘(\[]?[A-Z0-9])|[.!?][\"”’]?(?=[A-Z][a-z])")


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    paragraph: int
    index: int  # position in the article
    heading: bool = False


@dataclass
class Article:
    path: str
    text: str  # as read
    work: str  # same length, markup and front matter blanked
    meta: dict[str, Any] = field(default_factory=dict)
    sentences: list[Sentence] = field(default_factory=list)

    date_source: str = "metadata"  # "metadata" (front matter or --meta), "text" (a dateline) or "url"
    body_start: int = 0  # where the text after the front matter begins
    notes: list[Issue] = field(default_factory=list)  # warnings: metadata read under another name, or not used

    @property
    def published(self) -> dt.date | None:
        value = self.meta.get("date")
        return value if isinstance(value, dt.date) else None

    def sentence_text(self, s: Sentence) -> str:
        return self.text[s.start : s.end]


def read_article(path: Path, meta: dict[str, Any] | None = None, shown: str | None = None) -> Article:
    """Read an article; ``meta`` (from a sidecar file) fills what its front matter lacks."""
    name = shown or str(path)
    text, _raw, issues = read_text(path, name)
    if text is None:
        raise InputError(issues, f"cannot read article {name}")
    return parse_article(text, name, meta)


def parse_article(text: str, name: str = "<article>", meta: dict[str, Any] | None = None) -> Article:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    work = list(text)
    front: dict[str, Any] = {}
    m = _FRONT.match(text)
    if m:
        doc, issues = parse_yaml(m.group(1), name)
        errors = [i for i in issues if i.severity == "error"]
        lenient = _plain_front_matter(m.group(1), name) if errors or doc is None else None
        if lenient is not None:
            front = lenient
        elif errors or doc is None:
            shifted = [Issue(i.code, i.message, Location(name, i.location.line + 1 if i.location.line else 0, i.location.col), i.hint) for i in errors]
            raise InputError(shifted, f"invalid front matter in {name}")
        elif doc.data is not None and not isinstance(doc.data, dict):
            raise InputError([Issue("E106", "front matter must be a mapping", Location(name, 2, 1))])
        else:
            front = dict(doc.data or {})
        for i in range(m.end()):
            if work[i] != "\n":
                work[i] = " "
    notes: list[Issue] = []
    given = _known_keys(meta or {}, name, notes)
    merged = {**given, **{k: v for k, v in _known_keys(front, name, notes).items() if v is not None}}
    merged = _check_meta(merged, name)
    _mask_markdown(text, work)
    article = Article(name, text, "".join(work), merged, body_start=m.end() if m else 0, notes=notes)
    article.sentences = _segment(article.work, text)
    # Line breaks inside a sentence are spaces for every pattern ("shot\ndown" is "shot down");
    # same length, so offsets stay true.
    if any("\n" in article.work[x.start : x.end] for x in article.sentences):
        pieces: list[str] = []
        at = 0
        for x in article.sentences:
            pieces.append(article.work[at : x.start])
            pieces.append(article.work[x.start : x.end].replace("\n", " "))
            at = x.end
        pieces.append(article.work[at:])
        article.work = "".join(pieces)
    if "date" not in merged:
        found = date_in_text(article)
        if found is not None:
            article.meta["date"] = found
            article.date_source = "text"
        elif (from_url := date_in_url(merged.get("url"))) is not None:
            article.meta["date"] = from_url
            article.date_source = "url"
        elif (last_resort := _first_date_under(front, _LAST_RESORT_DATE_KEYS)) is not None:
            # without it the article is lost: a dateline kept as its own field ("dateline: BAMAKO,
            # 20 November 2025", the day of publication), then an edit's day ("updated:
            # 2025-06-03T09:12Z", hours after publication more often than days), then the day a
            # transcript or clipping was made ("created: 2025-10-24")
            article.meta["date"] = last_resort
            article.date_source = "metadata"
        elif (unknown := _full_date_under_any_key(front)) is not None:
            # a key of no known name (a language or a template not listed) whose value is a full
            # date, with its year, and nothing else: the day it names is the only day the
            # article gives; said in a warning that replaces its "not used"
            key, article.meta["date"] = unknown
            article.date_source = "metadata"
            article.notes = [n for n in article.notes if not n.message.startswith(f"front matter key '{key}' is not used")]
            article.notes.append(Issue("W107", f"front matter key '{key}' was read for the article's date: no known key, dateline or url gave one", Location(name, 1, 1), "give 'date' to say the day of publication", severity="warning"))
    return article


# A value that is a date and nothing else: "2024-10-22", "2024-10-22T14:05:00-05:00",
# "2024-10-22 14:05", "22/10/2024", "22.10.2024"
_WHOLE_DATE = re.compile(
    r"[0-9]{4}-[01]?[0-9]-[0-3]?[0-9](?:[T ][0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?(?:Z|[+-][0-9]{2}:?[0-9]{2})?)?"
    r"|[0-3]?[0-9][./][01]?[0-9][./][0-9]{4}"
)


_OTHER_DAY_KEY = re.compile(
    r"creat|sav|captur|retriev|access|clip|fetch|scrap|download|crawl|modif|updat|edit|revis|expir|valid|deadline"
    r"|start|end|from|until|to$|period|event|incident|birth|born|died|death"
)


def _full_date_under_any_key(front: dict[str, Any]) -> tuple[str, dt.date] | None:
    """The first key (in name order, so the same one every time) whose value is a full date,
    unless its name says another day: the day a tool saved or fetched the page, an edit, an
    expiry, the period or event a report covers."""
    for key, value in sorted(front.items(), key=lambda kv: str(kv[0])):
        if _OTHER_DAY_KEY.search(str(key).lower()):
            continue
        if isinstance(value, dt.datetime):
            return str(key), value.date()
        if isinstance(value, dt.date):
            return str(key), value
        if isinstance(value, str) and _WHOLE_DATE.fullmatch(value.strip()) and (day := metadata_date(value)) is not None:
            return str(key), day
    return None


# "/2025/11/14/", "-2025-11-14", "20251114": how news sites date their article addresses
_URL_DATE = re.compile(r"(?<![0-9])(?P<year>20[0-9]{2})(?P<sep>[-/_]?)(?P<month>[01][0-9])(?P=sep)(?P<day>[0-3][0-9])(?![0-9])")


def date_in_url(url: Any) -> dt.date | None:
    """The date in an article's address, when neither its metadata nor its opening gives one with
    its year (a wire dateline is "KYIV, Nov 14 (Meridian) -"): the last valid one in the path."""
    if not isinstance(url, str):
        return None
    path = url.split("?", 1)[0].split("#", 1)[0]
    found = None
    for m in _URL_DATE.finditer(path):
        try:
            found = dt.date(int(m.group("year")), int(m.group("month")), int(m.group("day")))
        except ValueError:
            continue
    return found


# Dates read only when nothing else dates an article, in this order: a dateline (the day of
# publication), the day it was last edited (the names feeds and content systems give it, in the
# order of their names, so one of several is chosen the same way every time), then the day a page
# was made or saved
_EDIT_KEYS = ("date_modified", "datemodified", "last_modified", "last_updated", "lastmod", "modified", "updated", "updated_at")
_LAST_RESORT_DATE_KEYS = ("dateline", *_EDIT_KEYS, "created", "created_at", "date_created", "recorded", "saved", "captured", "retrieved", "accessed")


def _first_date_under(front: dict[str, Any], keys: tuple[str, ...]) -> dt.date | None:
    """The date of the first of ``keys`` (any case, "-" or "_") that holds one."""
    by_name = {str(k).lower().replace("-", "_"): v for k, v in sorted(front.items(), key=lambda kv: str(kv[0]))}
    for key in keys:
        if by_name.get(key) is not None and (day := metadata_date(by_name[key])) is not None:
            return day
    return None


_FRONT_LINE = re.compile(r"(?P<key>[a-z_]+):[ \t]*(?P<value>.*)")


def _plain_front_matter(block: str, name: str) -> dict[str, Any] | None:
    """Front matter that is not YAML only because a value holds ": " ("title: Night attack on
    Sumy: one dead", as a newsroom writes it): each line a known key and the rest of the line
    its value, read as YAML where it is YAML on its own (dates, numbers) and as text where not.
    None when any line is something else: then the YAML error stands."""
    front: dict[str, Any] = {}
    for line in block.splitlines():
        if not line.strip():
            continue
        m = _FRONT_LINE.fullmatch(line.rstrip())
        if m is None or m.group("key") in front:
            return None
        raw = m.group("value").strip()
        doc, issues = parse_yaml(f"v: {raw}\n", name)
        if doc is not None and isinstance(doc.data, dict) and not [i for i in issues if i.severity == "error"]:
            value = doc.data.get("v")
            front[m.group("key")] = value if value is None or isinstance(value, (str, int, float, dt.date)) else raw
        elif ": " in raw or not raw.startswith(("[", "{")):
            # a colon, or prose YAML reads as syntax ('"Barrels & Borders" - a podcast', a quoted
            # name with more words after it; "*Exclusive*"; "@handle")
            front[m.group("key")] = raw
        else:  # a list or mapping left open ("[unclosed"): the YAML error says which
            return None
    return front


# Month names as written, capitals included ("THURSDAY 9 OCTOBER 2025" in a transcript's header)
# "19-Nov-2024" and "19/Nov/2024", as dealers' and agencies' headers write it, with the words' hyphens
# "this 23rd day of July, 2024", as a statement's signature writes it
# "Thursday, April 16 of 2026", "16 of April of 2026": a Spanish or Portuguese header ("jueves, 16
# de abril de 2026") put word for word into English keeps its "of" before the year
_TEXT_DATE_DM = re.compile(r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?(?:\s+(?:day\s+of\s+)?(?:of\s+)?|(?P<sep>[-/]))(?P<month>[A-Z][a-z]{2,8}|[A-Z]{3,9})\.?(?(sep)(?P=sep)|(?:,?\s+|\s+of\s+))(?P<year>(?:19|20)\d\d)\b")
# "November 18/2025" too: the Ethiopian News Agency's dateline ("Bahir Dar, November 18/2025 (ENA) -")
_TEXT_DATE_MD = re.compile(r"\b(?P<month>[A-Z][a-z]{2,8}|[A-Z]{3,9})\.?\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?(?:,?\s+|\s+of\s+|/)(?P<year>(?:19|20)\d\d)\b")
# the header left untranslated: "16 de abril de 2026", "16 de abril del 2026" (Spanish), "16 de
# abril de 2026" (Portuguese), "16 avril 2026" (French); read for the day of issue only, never in
# the prose, where "mar", "set" or "mai" are words of their own
_TEXT_DATE_ROMANCE = re.compile(r"\b(?P<day>\d{1,2})(?:er|º|°)?\s+(?:de\s+)?(?P<month>[A-Za-zçéû]{3,10})\.?,?\s+(?:(?:de|del)\s+)?(?P<year>(?:19|20)\d\d)\b")
_ROMANCE_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("enero", "janeiro", "janvier"), ("febrero", "fevereiro", "février", "fevrier"), ("marzo", "março", "marco", "mars"),
            ("abril", "avril"), ("mayo", "maio", "mai"), ("junio", "junho", "juin"), ("julio", "julho", "juillet"),
            ("agosto", "août", "aout"), ("septiembre", "setiembre", "setembro", "septembre"), ("octubre", "outubro", "octobre"),
            ("noviembre", "novembro", "novembre"), ("diciembre", "dezembro", "décembre", "decembre"),
        ),
        start=1,
    )
    for name in names
}  # fmt: skip
# ("2025-06-03T08:10:00Z" as JSON-LD's datePublished writes it, "2025.06.03", "2025/06/03")
_TEXT_DATE_ISO = re.compile(r"(?<!\d)(?<!\d\.)(?P<year>(?:19|20)\d\d)(?P<sep>[-./])(?P<month>\d\d?)(?P=sep)(?P<day>\d\d?)(?!\d)(?!\.\d)")
# "03/06/2025", "03-06-2025", "6/3/2025": day first, as most of the world writes it, unless the
# first number cannot be a month's day and the second can ("6/13/2025" is 13 June)
_TEXT_DATE_SLASH = re.compile(r"(?<![\d/.-])(?P<first>\d{1,2})(?P<sep>[/-])(?P<second>\d{1,2})(?P=sep)(?P<year>(?:19|20)\d\d)(?![\d/])")
# "08.10.2024": day first, as statements translated from Ukrainian, Russian or Arabic write it
# (a slash is left alone: 08/10 is August in American prose)
_TEXT_DATE_DOTTED = re.compile(r"\b(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>(?:19|20)\d\d)\b")


def date_in_text(article: Article, sentences: int = 3, header_lines: int = 15) -> dt.date | None:
    """The article's date when no metadata gives one: the first full date (with its year) in its
    first ``sentences`` sentences ("On Sunday, 1 June 2025", "the 1st of June 2025", "June 1,
    2025", "2025-06-01", "01.06.2025"), the dateline or lead of a news report; else in a short line
    among its first ``header_lines`` (a press release's "Kinshasa, this 23 January 2025" under its
    letterhead, a transcript's "MORNING REPORT, THURSDAY 9 OCTOBER 2025"). A date without a year
    ("1 June") cannot date an article."""
    # a range's end ("Reporting week: 14-20 November 2026") is the period's, not the day of
    # publication: a date not in a range first, a range's end only when nothing else dates it
    return _date_in_text(article, sentences, header_lines, ranges=False) or _date_in_text(article, sentences, header_lines, ranges=True)


def _date_in_text(article: Article, sentences: int, header_lines: int, ranges: bool) -> dt.date | None:
    # a letterhead's place and day of issue ("No. 118/PR/CPO    Dated Peshawar, the 17th January,
    # 2026"): the day the release was issued, before the lead's first date (the incident's)
    for line in [ln for ln in article.text[article.body_start :].split("\n") if ln.strip()][:header_lines]:
        labelled = _labels().issued_at.search(line)
        if labelled is not None and (found := _first_full_date(line[labelled.end() :], ranges)) is not None:
            return found
        # a letterhead's labelled day of issue ("Ref: SPF/XW/0216/26      Date: 16/02/2026") over the
        # lead's "yesterday, Sunday 15 February 2026": the lead's full date is the incident's
        labelled = _labels().issued.search(line) if len(line.strip()) <= _HEADER_LINE_CHARS else None
        if labelled is not None and (found := _first_full_date(line[labelled.end() :], ranges)) is not None:
            return found
    opening = [s for s in article.sentences if not s.heading][:sentences] + [s for s in article.sentences if s.heading][:2]
    for sentence in opening:
        chunk = article.work[sentence.start : sentence.end]
        # a labelled day of issue before any other date in the sentence ("Period covered: 1-7
        # June 2025 - Issued on Monday 9 June 2025")
        labelled = _labels().issued.search(chunk)
        found = (labelled and _first_full_date(chunk[labelled.end() :], ranges)) or _first_full_date(chunk, ranges)
        if found is not None:
            return found
    seen = 0
    # the text as written: a dated line set as a table row ("27.01.2026, 08:41 | Sumy |
    # Incidents") is masked out of the working text
    for line in article.text[article.body_start :].split("\n"):
        if not line.strip():
            continue
        seen += 1
        if seen > header_lines:
            break
        # a header line of fields ("19-Nov-2024 | 07:42 Bogotá | For professional clients
        # only"): each field is a short line of its own, and a labelled one says the day of issue
        parts = [p for p in _HEADER_FIELD.split(line) if p.strip()] or [line]
        for part in parts:
            labelled = _labels().issued.search(part)
            if labelled is not None:
                found = _first_full_date(part[labelled.end() :], ranges)
                if found is not None:
                    return found
        for part in parts:
            if len(part.strip()) <= _HEADER_LINE_CHARS and not _labels().period.search(part):
                found = _first_full_date(part, ranges)
                if found is not None:
                    return found
    # a statement dated only under its signature ("Issued at Garissa this 23rd day of July,
    # 2024", "Done at Bamako, 4 March 2025"): a labelled short line among the last ones
    lines = [line for line in article.text[article.body_start :].split("\n") if line.strip()]
    for line in reversed(lines[-_FOOTER_LINES:]):
        labelled = _labels().signed.match(line)
        if labelled is not None and len(line.strip()) <= _HEADER_LINE_CHARS:
            found = _first_full_date(line[labelled.end() :], ranges)
            if found is not None:
                return found
    # a letter or a statement dated under its signature with no label: a last line that is only
    # a date, or a place and a date ("Makurdi, 10 February 2026", "10 May 2024"); a line with
    # more words than that is prose, whose dates are the events'
    for line in reversed(lines[-_FOOTER_LINES:]):
        if _is_signature_date(line):
            found = _first_full_date(line, ranges)
            if found is not None:
                return found
    return None


# the place before a signature's date: up to two parts of up to four capitalised words each
# ("Makurdi, ", "Makurdi, Benue State, ")
_SIGNATURE_PLACE = re.compile(r"(?:[A-Z][\w'.-]*(?:[ -][A-Z][\w'.-]*){0,3},\s*){0,2}")


def _is_signature_date(line: str) -> bool:
    stripped = line.strip().rstrip(".")
    if len(stripped) > _HEADER_LINE_CHARS:
        return False
    place = _SIGNATURE_PLACE.match(stripped)
    rest = stripped[place.end() :] if place else stripped
    return any(rx.fullmatch(rest) for rx in (_TEXT_DATE_DM, _TEXT_DATE_MD))


# the fields of a header line: "|", "•", "·", or a dash between spaces
_HEADER_FIELD = re.compile(r"\s*[|•·]\s*|\s+[–—]\s+")
# the end of a range: "14-20 November 2026", "14 to 20 November", "1 June - 7 June 2025"
_RANGE_BEFORE = re.compile(r"(?:\b\d{1,2}(?:st|nd|rd|th)?|(?i:\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?)(?:\s+\d{1,2}(?:st|nd|rd|th)?)?)\s*(?:[-–—]|\bto\b|\buntil\b|\btill\b|\bthrough\b)\s*$")


_HEADER_LINE_CHARS = 90
_WEEKDAY_OR_MONTH = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec"


@dataclass(frozen=True)
class _DateLabels:
    issued: re.Pattern[str]
    issued_at: re.Pattern[str]
    period: re.Pattern[str]
    signed: re.Pattern[str]


@functools.lru_cache(maxsize=1)
def _labels() -> _DateLabels:
    """The words that label an article's day of issue, as analysts extend them in patterns.yaml
    (`article_dates`): a header's label ("Issued: Tuesday 15 July 2025", "Published 20 Nov 2026",
    "Last updated on 3 June 2025") says the day of issue before any other date of its line; a
    field naming the period covered ("Reporting week: 9-15 June 2025", "Week of 9 June 2025")
    does not date the article; a signature's label ("Issued at Garissa this 23rd day of July,
    2024", "Done at Bamako on 4 March 2025", "Dated: 3 June 2025") opens one of the last lines."""
    data = load_mapping(DEFAULT_PATTERNS, "patterns").get("article_dates") or {}

    def alternation(key: str) -> str:
        words = sorted({str(w).lower() for w in data.get(key) or []}, key=lambda w: (-len(w), w))
        return "|".join(r"\s+".join(map(re.escape, w.split())) for w in words) or "(?!)"

    return _DateLabels(
        issued=re.compile(rf"(?i:\b(?:{alternation('issued_labels')})\b)\s*(?::|\bon\b)?\s*(?=\d|(?i:{_WEEKDAY_OR_MONTH}))"),
        # the label, a place and a comma, then the day: "Dated Peshawar, the 17th January, 2026"
        issued_at=re.compile(rf"(?i:\b(?:{alternation('issued_labels')})\b)\s+(?:(?i:at|in)\s+)?[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){{0,3}},\s*(?:(?i:the|this|on)\s+)?(?=\d)"),
        period=re.compile(rf"\b(?:{alternation('period_labels')})\b", re.IGNORECASE),
        signed=re.compile(rf"\s*(?i:{alternation('signature_labels')})\b"),
    )


_FOOTER_LINES = 6


def _ends_range(chunk: str, start: int) -> bool:
    """Whether the date starting at ``start`` closes a range ("14-20 November 2026")."""
    return _RANGE_BEFORE.search(chunk[max(0, start - 24) : start]) is not None


def _first_full_date(chunk: str, ranges: bool = True) -> dt.date | None:
    from riskengine.ingest.extract.dates import MONTHS

    best: tuple[int, dt.date] | None = None
    for m in _TEXT_DATE_SLASH.finditer(chunk):
        if not ranges and _ends_range(chunk, m.start()):
            continue
        first, second = int(m.group("first")), int(m.group("second"))
        day_month = (second, first) if second > 12 >= first else (first, second)
        try:
            found = dt.date(int(m.group("year")), day_month[1], day_month[0])
        except ValueError:
            continue
        best = (m.start(), found)
        break
    for rx in (_TEXT_DATE_DM, _TEXT_DATE_MD, _TEXT_DATE_ISO, _TEXT_DATE_DOTTED, _TEXT_DATE_ROMANCE):
        for m in rx.finditer(chunk):
            month_text = m.group("month")
            names = _ROMANCE_MONTHS if rx is _TEXT_DATE_ROMANCE else MONTHS
            month = int(month_text) if month_text.isdigit() else names.get(month_text.lower())
            if not month:
                continue
            if not ranges and _ends_range(chunk, m.start()):
                continue
            try:
                day = dt.date(int(m.group("year")), month, int(m.group("day")))
            except ValueError:
                continue
            if best is None or m.start() < best[0]:
                best = (m.start(), day)
    return best[1] if best else None


def _misspelt_key(key: str) -> str | None:
    """The read key that ``key`` looks like a misspelling of ('dat', 'titel', 'contry'), or None.
    A key that only shares a read key's letters while being a word or more longer
    ('document_type', 'date_range', 'country_code') is another key that an outlet uses for its own
    purpose, not a typo: it is left out with a warning like any unused key. blind16's mining
    disclosure ('document_type: Quarterly security ...') lost all six of its events when such a key
    was refused as a misspelt 'document'."""
    close = difflib.get_close_matches(key.lower(), FRONT_MATTER_KEYS, n=1, cutoff=0.75)
    if close and abs(len(close[0]) - len(key)) <= 2:
        return close[0]
    return None


def _known_keys(meta: dict[Any, Any], name: str, notes: list[Issue]) -> dict[str, Any]:
    """The metadata under the keys the extractor reads. An alias ('outlet', 'source') stands for
    its key when that key is not given; a key the extractor does not use ('author', 'tags',
    'section', as archives write them) is left out with a warning, so that one article's
    metadata does not cost it its events; a key that looks like a misspelt one ('dat', 'titel')
    is kept for ``_check_meta`` to refuse, since its value would otherwise be lost unseen."""
    out: dict[str, Any] = {}
    for key in sorted(meta, key=str):
        text = str(key)
        if text in FRONT_MATTER_KEYS:
            out[text] = meta[key]
            continue
        canonical = FRONT_MATTER_ALIASES.get(text.lower()) or ("date" if _DATE_KEY.fullmatch(text.lower()) else None)
        if canonical is None:
            if _misspelt_key(text):
                out[text] = meta[key]
            elif text.lower().replace("-", "_") in _LAST_RESORT_DATE_KEYS:
                notes.append(Issue("W107", f"front matter key '{text}' is read only for the article's date, when nothing else gives one", Location(name, 1, 1), "give 'date' to say the day of publication", severity="warning"))
            else:
                notes.append(Issue("W107", f"front matter key '{text}' is not used", Location(name, 1, 1), f"the keys read are: {', '.join(FRONT_MATTER_KEYS)}", severity="warning"))
        elif canonical in meta or canonical in out:
            notes.append(Issue("W107", f"front matter key '{text}' is not used: '{canonical}' is given", Location(name, 1, 1), severity="warning"))
        else:
            out[canonical] = meta[key]
    return out


def metadata_date(value: Any) -> dt.date | None:
    """A date as feeds and archives write it in metadata: ISO ("2025-06-03", with or without a
    time), an RSS ``pubDate`` (RFC 2822: "Tue, 03 Jun 2025 08:10:00 GMT"), or a full date in words
    or dots ("3 June 2025", "June 3, 2025", "03.06.2025"). A feed's date is the day as written in
    it, not converted to another time zone (the wire's own day)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text[:10].replace("/", "-"))
    except ValueError:
        return _first_full_date(text)


def _check_meta(meta: dict[str, Any], name: str) -> dict[str, Any]:
    issues: list[Issue] = []
    unknown = sorted(set(meta) - set(FRONT_MATTER_KEYS))
    for key in unknown:
        close = difflib.get_close_matches(key.lower(), FRONT_MATTER_KEYS, n=1, cutoff=0.75)
        hint = f"did you mean '{close[0]}'? the keys read are: {', '.join(FRONT_MATTER_KEYS)}" if close else f"expected one of: {', '.join(FRONT_MATTER_KEYS)}"
        issues.append(Issue("E107", f"unknown front matter key '{key}'", Location(name, 1, 1), hint))
    out = dict(meta)
    if "date" in out:  # "datePublished: 2025-04-14T06:30:00+03:00": the day as written
        day = metadata_date(out["date"])
        if day is None:
            issues.append(Issue("E108", f"front matter date '{out['date']}' is not YYYY-MM-DD nor a full date ('Tue, 03 Jun 2025 08:10:00 GMT', '3 June 2025')", Location(name, 1, 1)))
        else:
            out["date"] = day
    if "reliability" in out and str(out["reliability"]) not in list("ABCDEF"):
        issues.append(Issue("E108", f"reliability '{out['reliability']}' is not one of A..F", Location(name, 1, 1)))
    if "credibility" in out:
        try:
            out["credibility"] = int(out["credibility"])
            if not 1 <= out["credibility"] <= 6:
                raise ValueError
        except (TypeError, ValueError):
            issues.append(Issue("E108", f"credibility '{out['credibility']}' is not 1..6", Location(name, 1, 1)))
    if issues:
        raise InputError(issues, f"invalid metadata for {name}")
    return out


def _mask_markdown(text: str, work: list[str]) -> None:
    def blank(a: int, b: int) -> None:
        if "\n" not in text[a:b]:
            work[a:b] = " " * (b - a)
            return
        for i in range(a, b):
            if work[i] != "\n":
                work[i] = " "

    for m in re.finditer(r"^[ \t]*(?:#{1,6}[ \t]+|[-*+][ \t]+|\d{1,3}\.[ \t]+|>[ \t]?)", text, re.MULTILINE):
        blank(m.start(), m.end())
    for m in re.finditer(r"\*\*|__|`+|(?<!\w)\*(?=\S)|(?<=\S)\*(?!\w)", text):
        blank(m.start(), m.end())
    for m in re.finditer(r"\[([^\]]*)\]\([^)]*\)", text):  # [text](url): keep the text only
        blank(m.start(), m.start() + 1)
        blank(m.start() + 1 + len(m.group(1)), m.end())
    for m in re.finditer(r"^.*\|.*\|.*$", text, re.MULTILINE) if "|" in text else ():  # tables are not prose
        blank(m.start(), m.end())


_TERMINAL = re.compile(r"[.!?:][\"”’)\]]*\s*$")
_LIST_ITEM = re.compile(r"^[ \t]*(?:[-*+•]|\d{1,3}[.)])[ \t]+")
_MD_HEADING = re.compile(r"^[ \t]*#{1,6}[ \t]+")
# a ticker's or a log's timestamped line ("06:12  BREAKING — Quadcopter attack on ...", "14:05 |
# Kramatorsk: ..."): an entry of its own, not the wrapped end of the line before (a live blog's
# short "15:48 GMT - That's all from us today" stays a heading)
_TIMESTAMPED = re.compile(r"^[ \t]*\d{1,2}[:.]\d{2}(?:\s*(?:hrs|h|UTC|GMT))?[ \t]+(?:[-–—|:][ \t]*)?[A-Z\"“]")


def _segment(work: str, text: str | None = None) -> list[Sentence]:
    """Sentences of the article, whole across hard-wrapped lines.

    Lines are grouped into blocks (between blank lines). In a block, a line that does not end a
    sentence continues on the next line when it is a wrapped line (at least 45% of the block's
    longest line) or the next line starts lower-case: so "Russia launched 25\nShahed drones" is
    one sentence. A line that ends a sentence starts a new paragraph unless the block is hard
    wrapped (it then goes on in the same paragraph). List items and Markdown headings always
    start a new unit; a unit of one short line without final punctuation is a heading.
    Linear in the text: each line is looked at a constant number of times.
    """
    original = text if text is not None else work
    lines: list[tuple[int, int]] = []
    pos = 0
    for line in work.split("\n"):
        lines.append((pos, pos + len(line)))
        pos += len(line) + 1
    sentences: list[Sentence] = []
    paragraph = -1
    block: list[tuple[int, int]] = []

    def flush() -> None:
        nonlocal paragraph
        if not block:
            return
        longest = max(b - a for a, b in block)
        # a ticker's lines, one under the other, are entries even when short ("14:00 Baidoa:
        # mortar shells land in the bazaar; one child killed"); a live blog's lone timestamped
        # line above its paragraph stays a heading
        ticker = sum(1 for a, b in block if _TIMESTAMPED.match(original[a:b])) > 1
        units: list[list[tuple[int, int]]] = []
        new_paragraph: list[bool] = []
        for _i, (a, b) in enumerate(block):
            stripped = work[a:b].strip()
            marker = bool(_LIST_ITEM.match(original[a:b]) or _MD_HEADING.match(original[a:b]) or _TIMESTAMPED.match(original[a:b]))
            if units and not marker:
                pa, pb = units[-1][-1]
                prev = work[pa:pb].strip()
                long_line = (pb - pa) >= 0.45 * longest and longest >= 40
                # A colon at the end of a wrapped line goes on ("destroyed 46 drones:\n19 over the
                # Belgorod region, ..."); before a list item it ends the line (items are markers).
                ends = bool(_TERMINAL.search(prev)) and not (prev.endswith(":") and long_line)
                if not ends and (long_line or stripped[:1].islower()):
                    units[-1].append((a, b))
                    continue
                if _TERMINAL.search(prev) and long_line and prev[-1:] != ":":
                    # a hard-wrapped paragraph goes on: a new unit, the same paragraph
                    units.append([(a, b)])
                    new_paragraph.append(False)
                    continue
            units.append([(a, b)])
            new_paragraph.append(True)
        for unit, fresh in zip(units, new_paragraph, strict=True):
            if fresh or paragraph < 0:
                paragraph += 1
            a, b = unit[0][0], unit[-1][1]
            chunk = work[a:b]
            lead = len(chunk) - len(chunk.lstrip())
            body = chunk.strip()
            heading = len(unit) == 1 and not re.search(r"[.!?\"”]\s*$", body) and len(body.split()) <= 14 and not (ticker and _TIMESTAMPED.match(body))
            for sa, sb in _split_sentences(body):
                sentences.append(Sentence(a + lead + sa, a + lead + sb, paragraph, len(sentences), heading))
        block.clear()

    for a, b in lines:
        if not work[a:b].strip():
            flush()
            continue
        block.append((a, b))
    flush()
    return sentences


def _split_sentences(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        if _ABBREVIATIONS.search(text[start : m.start() + 1]):
            continue
        spans.append((start, m.end()))
        rest = text[m.end() :]
        start = m.end() + (len(rest) - len(rest.lstrip()))
    if start < len(text):
        spans.append((start, len(text.rstrip())))
    return [piece for a, b in spans if b > a for piece in _bounded(text, a, b)]


# The longest sentence of every evaluation article is 689 characters. Several steps of a
# sentence's reading cost its length squared (cue windows, shares, places against names), so an
# author's one endless sentence ("Russia launched 161 attack 161 attack ..." over 22 KB: 14 s of
# CPU, 200 KB: over twenty minutes) ran unbounded; cut into pieces of at most this many
# characters, it costs what as many ordinary sentences do.
MAX_SENTENCE_CHARS = 1500


def _bounded(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The sentence [start, end) as it is, or cut into pieces of at most MAX_SENTENCE_CHARS, each
    at the last clause break (";", ",") or else the last space of its window."""
    pieces: list[tuple[int, int]] = []
    while end - start > MAX_SENTENCE_CHARS:
        window = text[start : start + MAX_SENTENCE_CHARS]
        cut = max(window.rfind("; "), window.rfind(", "))
        cut = cut + 1 if cut > MAX_SENTENCE_CHARS // 2 else window.rfind(" ")
        cut = cut if cut > 0 else MAX_SENTENCE_CHARS
        pieces.append((start, start + cut))
        start += cut
        while start < end and text[start].isspace():
            start += 1
    if end > start:
        pieces.append((start, end))
    return pieces


def clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Clause spans of a sentence: split at semicolons, dashes and ", while" joining two statements."""
    out: list[tuple[int, int]] = []
    a = start
    for m in re.finditer(r";|\s[—–]\s|,\s+(?=(?:while|whereas)\s)", text[start:end]):
        out.append((a, start + m.start()))
        a = start + m.end()
    out.append((a, end))
    return out
