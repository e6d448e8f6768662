"""patterns.yaml as compiled matchers: cues per kind, word lists, negations."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from riskengine.core.events import SUB_EVENT_TYPES, DiplomaticKind, TargetCategory
from riskengine.ingest.extract.config import DEFAULT_PATTERNS, config_error, load_mapping

REQUIRED = ("theatre", "kinds", "weapons", "casualty_words", "people", "troops")


def words_regex(words: list[str] | tuple[str, ...]) -> re.Pattern[str]:
    """One case-insensitive regex for a word list; longest phrase first, whole words only."""
    return re.compile(rf"(?<![\w-])(?:{trie_alternation(words, fold=True)})(?![\w-])", re.IGNORECASE)


GAP = "..."


def phrases_regex(words: list[str] | tuple[str, ...]) -> re.Pattern[str]:
    """As ``words_regex``, where "..." in a phrase stands for up to three words ("taken to ...
    hospital": "taken to the central district hospital", "sustained ... injuries")."""
    literal = [w for w in words if GAP not in w]
    gapped = [r"\s+(?:[\w'’-]+\s+){0,3}?".join(r"\s+".join(map(re.escape, part.split())) for part in w.lower().split(GAP)) for w in words if GAP in w]
    body = "|".join([trie_alternation(literal, fold=True), *gapped])
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w-])", re.IGNORECASE)


@functools.lru_cache(maxsize=512)
def lower(rx: re.Pattern[str]) -> re.Pattern[str]:
    """A ``words_regex`` pattern for lower-cased text: the same pattern, case-sensitive (its words
    are folded to lower case), which the regex engine runs several times faster. Only for text
    whose lower() keeps its length (offsets stay true); callers check."""
    return re.compile(rx.pattern)


def trie_alternation(words: Iterable[str], *, fold: bool = False, space: bool = True) -> str:
    """A regex alternation of literal phrases (a space matches any whitespace), as a prefix tree.

    Matches what the flat alternation ``longest|...|shortest`` matches (at a position, the
    longest phrase the text allows, the trailing context included), but the regex engine tries
    one branch per character instead of every phrase at every position: a gazetteer of hundreds
    of names costs about as much as one name (issue #14: the place scan dominated a 1 MB article).
    ``fold`` merges phrases that differ only in case, for case-insensitive patterns; with
    ``space`` false a space matches one space only."""
    trie: dict[str, Any] = {}
    for word in words:
        if not word:
            continue
        node = trie
        for ch in word.lower() if fold else word:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _trie_regex(trie, space) or "(?!)"


def _trie_regex(node: dict[str, Any], space: bool) -> str:
    branches = []
    for ch in sorted(k for k in node if k):
        atom = r"\s+" if ch == " " and space else re.escape(ch)
        branches.append(atom + _trie_regex(node[ch], space))
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    # Longer phrases first (greedy ?): a phrase that ends here is tried only when none longer fits.
    return f"(?:{body})?" if "" in node else body


@dataclass(frozen=True)
class Cue:
    words: re.Pattern[str]
    near: re.Pattern[str] | None
    window: int
    keys: frozenset[str] = frozenset()  # its words, lower case, single-spaced (see cue_words_in)
    refers_back: bool = False  # a mention only where weapons were named before ("of them")
    needs_place: bool = False  # an event only with a town or region in its clause, else anaphoric
    # The near word must be the verb's object or its passive subject ("shot down 22 drones",
    # "22 drones were shot down"): a weapon as the active subject ("a cruise missile brought
    # down a section of the building") is the strike, not an interception.
    object_only: bool = False
    # Near words that count only after the cue word in the active voice ("a drone brought down
    # the roof"), not "12 drones were brought down".
    active_near: re.Pattern[str] | None = None
    # An event only with people killed or injured told of it: a ground attack ("gunmen attacked
    # the village") has no kind of its own; with a toll it is a casualty report.
    needs_toll: bool = False
    # A ground assault told by its attackers and their act ("armed men attacked a military
    # detachment", "gunmen stormed the town", "ambushed a convoy"): an event without a toll too
    # when its own clause names its town and its day (reports of such assaults often give the
    # toll in another sentence, or none yet). Fights told by their noun ("clashes") still need one.
    assault: bool = False


# Where a shorter cue word may end inside a longer one: before a character that is neither a
# word character nor a hyphen (the end of the phrase included).
_PREFIX_ENDS = re.compile(r"(?=[^\w-]|$)")


def phrase_key(phrase: str) -> str:
    return " ".join(phrase.lower().split())


@dataclass(frozen=True)
class Kind:
    name: str
    group: str
    event_type: str
    sub_event_type: str | None
    cues: tuple[Cue, ...]
    status: tuple[tuple[str, re.Pattern[str]], ...]
    default_status: str | None
    diplomatic_kind: str | None
    target_category: str | None
    notes_prefix: str


class Patterns:
    def __init__(self, data: dict[str, Any], path: Path) -> None:
        self.path = path
        self.data = data
        for key in REQUIRED:
            if key not in data:
                raise config_error(path, key, f"'{key}' is missing")
        theatre = data["theatre"] or {}
        self.default_country: str = str(theatre.get("default_country", "UKR"))
        self.belligerents: tuple[str, ...] = tuple(theatre.get("belligerents", []))
        self.vague: dict[str, int] = {str(k).lower(): int(v) for k, v in (data.get("vague_quantities") or {}).items()}
        self.kinds: dict[str, Kind] = {name: self._kind(name, spec) for name, spec in data["kinds"].items()}
        # Cue word (a Cue.keys entry) -> the cues that have it, with their place in the file.
        self.cues_by_word: dict[str, list[tuple[int, Kind, Cue]]] = {}
        order = 0
        for kind in self.kinds.values():
            for cue in kind.cues:
                for key in cue.keys:
                    self.cues_by_word.setdefault(key, []).append((order, kind, cue))
                order += 1
        self.weapon_of: dict[str, str] = {}
        for weapon, words in data["weapons"].items():
            for w in words:
                self.weapon_of[w.lower()] = weapon
        self.weapons = words_regex(list(self.weapon_of))
        # Units named for their weapon ("units of the Unmanned Systems Forces struck ..."): what
        # a strike without a weapon word was carried out with.
        self.unit_weapon: dict[str, str] = {w.lower(): weapon for weapon, words in (data.get("weapon_units") or {}).items() for w in words}
        self.weapon_units = words_regex(list(self.unit_weapon) or ["(?!)"])
        self.anaphora = words_regex(data.get("anaphora", []))
        # Phrases holding a cue word that name no event ("air raid sirens"): a cue inside one is no mention.
        # Units named for a weapon ("the Missile Forces") are no weapon word either.
        self.not_cues = words_regex([*(data.get("not_cues") or []), *[w for words in (data.get("weapon_units") or {}).values() for w in words]] or ["(?!)"])
        self.hypothetical = words_regex(data.get("hypothetical", []))
        self.detector_not_events = words_regex(data.get("detector_not_events") or ["(?!)"])
        self.detector_kinds = frozenset(str(k) for k in (data.get("detector_kinds") or []))
        for name in sorted(self.detector_kinds - set(self.kinds)):
            raise config_error(path, "detector_kinds", f"unknown kind '{name}'")
        self.aggregate = words_regex(data.get("aggregate", []))
        self.period_totals = words_regex(data.get("period_totals", []))
        self.not_conflict = words_regex(data.get("not_conflict", []))
        self.other_violence = words_regex(data.get("other_violence", []))
        self.strike_tallies = re.compile("|".join(f"(?:{rx})" for rx in data.get("strike_tallies", [])) or "(?!)", re.IGNORECASE)
        self.habitual = words_regex(data.get("habitual") or ["every day"])
        self.other_event = words_regex(data.get("other_event", []))
        self.retracted = words_regex(data.get("retracted", []))
        self.negated = words_regex(data.get("negated", []))
        # An event dated more than this many days before its report is background, not news.
        self.background_days = int(data.get("background_days", 31))
        self.people_casualty = {fld: re.compile(rf"\s*(?:{words_regex(words).pattern})", re.IGNORECASE) for fld, words in (data.get("people_casualty_words") or {}).items()}
        # Headings under which an article retells older events ("Recap: what happened last week"):
        # the phrase is the whole heading or comes before a colon or dash, so "Background of the
        # Incident" (seed 000, whose section tells the incident itself) is not one.
        phrases = "|".join(re.escape(w) for w in sorted(data.get("background_headings") or [], key=len, reverse=True)) or "(?!)"
        self.background_headings = re.compile(rf"[#*\s]*(?:{phrases})\s*(?:[:\-—–].*)?", re.IGNORECASE | re.DOTALL)
        labels = "|".join(re.escape(w) for w in sorted(data.get("summary_labels") or [], key=len, reverse=True)) or "(?!)"
        self.summary_label = re.compile(rf"[#*\s]*(?:{labels})\s*:", re.IGNORECASE)
        self.diplomacy_negated = re.compile("|".join(f"(?:{rx})" for rx in data.get("diplomacy_negated") or ["(?!)"]), re.IGNORECASE)
        self.negations = [(re.compile(n["pattern"], re.IGNORECASE), tuple(n["fields"])) for n in data.get("negations", [])]
        # Any negation at all, in one pass: most clauses have none.
        self.any_negation = re.compile("|".join(f"(?:{n['pattern']})" for n in data.get("negations", [])) or "(?!)", re.IGNORECASE)
        self.negation_scope = words_regex(data.get("negation_scope", ["aboard"]))
        self.negation_scope_whole = words_regex(data.get("negation_scope_whole", []))
        self.people = words_regex(data["people"])
        self.troops = words_regex(data["troops"])
        self.distance_units = {k.lower(): float(v) for k, v in (data.get("distance_units") or {}).items()}
        self.casualty = {field: phrases_regex(words) for field, words in data["casualty_words"].items()}
        nouns = trie_alternation(data.get("one_person") or ["person"])
        self.person_noun = re.compile(rf"\b(?:{nouns})\b")
        # What happened to one person, after it: "a child was killed", "one civilian died", "a
        # passenger was taken to the district hospital", "the driver sustained shrapnel injuries".
        self.one_person_fields = {fld: phrases_regex(words) for fld, words in (data.get("one_person_verbs") or {"fatalities": ["killed"], "injured": ["injured", "wounded", "hurt"], "hospitalised": ["hospitalised"]}).items()}
        single = "|".join(rx.pattern for rx in self.one_person_fields.values())
        self.one_person = re.compile(
            # ("shot dead a 70-year-old man", "shooting dead the driver", "One (1) officer sustained")
            r"\b(?:(killing|killed|injuring|injured|wounding|wounded|hurting|shot\s+dead|shooting\s+dead|stabbed\s+to\s+death|hacked\s+to\s+death|beat\s+to\s+death)\s+)?(?:[aA]|[aA]n|[oO]ne|[tT]he|[hH]is|[hH]er|[tT]heir|[aA]nother)\s+(?:\(1\)\s+)?(?:[\w-]+\s+){0,2}?"
            # ", aged 54,", ", a 52-year-old man," between the person and the verb
            # ("a civilian man perished": two person nouns, the second the person)
            rf"(?:{nouns})\b(?:\s+(?:{nouns})\b)?(?!-)(?:,\s*(?:aged\s+)?\d{{1,3}},|,\s+(?:[aA]n?\s+)?[\w-]+(?:\s+[\w-]+){{0,2}},)?"
            # "a man who was standing at a bus stop died": a short relative clause before the verb
            r"(?:,?\s+(?:who|that)(?:\s+[\w'’-]+){1,8}?,?(?=\s+(?:(?:was|were|has\s+been|have\s+been|had\s+been|got)\s+)?(?:(?:later|also|reportedly|seriously|critically|badly|lightly|slightly)\s+)?(?i:" + single + r")))?"
            rf"(?:\s+(?:(?:was|were|has\s+been|have\s+been|had\s+been|got)\s+)?(?:(?:later|also|reportedly|seriously|critically|badly|lightly|slightly)\s+)?((?i:{single})))?"
        )
        # "killing a man and a woman", "a woman and her three children were killed", "two men
        # and a boy were wounded": the people of a list, summed (patterns.yaml enumeration_nouns).
        plural = trie_alternation(data.get("enumeration_nouns") or ["people"])
        number = r"(?i:\d{1,3}|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
        item = rf"(?:(?:[aA]n?|[oO]ne|[hH]er|[hH]is|[tT]heir|[tT]he)\s+)?(?:{number}\s+)?(?:[\w-]+\s+)?(?:{nouns}|{plural})\b"
        self.enumeration = re.compile(
            rf"\b(?:(?P<before>killing|killed|injuring|injured|wounding|wounded)\s+)?(?P<items>{item}(?:,\s+{item})*,?\s+and\s+{item})"
            rf"(?:\s+(?:(?:were|was|have\s+been|had\s+been)\s+)?(?:(?:reportedly|later|also|seriously|critically|badly|lightly|slightly)\s+)?(?P<after>killed|died|injured|wounded|hurt))?"
        )
        self.enumeration_item = re.compile(rf"(?:(?:[aA]n?|[oO]ne|[hH]er|[hH]is|[tT]heir|[tT]he)\s+)?(?:(?P<n>{number})\s+)?(?:[\w-]+\s+)?(?:(?P<one>{nouns})|(?P<many>{plural}))\b")
        # "the driver and one passenger were injured": two people.
        self.one_person_and = re.compile(rf"\b(?:[aA]n?|[oO]ne|[tT]he|[hH]is|[hH]er|[tT]heir)\s+(?:[\w-]+\s+){{0,2}}?(?:{nouns})\s+and\s+$")
        self.launch = words_regex(data.get("launch_words", []))
        # Between a weapon and its verb, these make the weapon the passive subject.
        self.passive = words_regex(data.get("passive_markers") or ["were", "was", "been"])
        self.defenders = words_regex(data.get("defenders") or ["air defence"])
        # The weapons as the subject of a strike verb: "a dozen Shahed drones attacked the city".
        self.launch_subject = re.compile(
            rf"(\s+(?:[\w-]+\s+){{0,2}}?)({self.weapons.pattern})\s+(?:(?:also|then|again)\s+)?({words_regex(data.get('launch_subject_verbs') or ['attacked']).pattern})", re.IGNORECASE
        )
        # A side right after one of these verbs is their object, the target ("Russia attacked Ukraine with ...").
        self.object_before = re.compile(rf"(?<![\w-])(?:{trie_alternation(data.get('launch_subject_verbs') or ['attacked'], fold=True)})\s+(?:the\s+)?$", re.IGNORECASE)
        self.intercept = words_regex(data.get("intercept_words", []))
        # "air defences brought down 49": a bare count right after the verb
        self.intercept_before = re.compile(rf"(?:{self.intercept.pattern})\s+(?:(?:at\s+least|more\s+than|over|some|about|nearly|around|all)\s+)?$", re.IGNORECASE)
        # Days told relative to the event told before ("hours before the delegations sat down"):
        # phrase -> days after that event's date.
        self.told_offsets: dict[str, int] = {w.lower(): int(days) for days, words in (data.get("relative_to_told") or {}).items() for w in words}
        told = words_regex(list(self.told_offsets) or ["(?!)"]).pattern
        # ... and "two days later", "three days earlier": counted.
        self.relative_to_told = re.compile(rf"{told}|\b(?:a|one|two|three|four|five|six|\d)\s+days?\s+(?:later|after|earlier|before)\b", re.IGNORECASE)
        self.relative_to_told_lower = re.compile(self.relative_to_told.pattern)
        self.destroy = words_regex(data.get("destroy_words", []))
        self.claim = words_regex(data.get("claim_words", []))
        self.confirm = words_regex(data.get("confirm_words", []))
        self.dispute = words_regex(data.get("dispute_words", []))
        self.target_categories: list[tuple[str, re.Pattern[str]]] = []
        for category, words in (data.get("target_categories") or {}).items():
            if category not in TargetCategory.__args__:  # type: ignore[attr-defined]
                raise config_error(path, f"target_categories.{category}", f"unknown target category '{category}'")
            self.target_categories.append((category, words_regex(words)))
        heads = "|".join(re.escape(h) for h in data.get("target_name_heads", []))
        self.target_name = re.compile(rf"(?:the\s+)?((?:[A-Z][\w'’-]+\s+){{1,4}})({heads})\b") if heads else None
        # Cheap tests that a clause can hold a target at all (most clauses of a long event do not).
        self.target_name_head = re.compile(rf"\s(?:{heads})\b" if heads else "(?!)")
        self.any_target_category = re.compile(
            rf"(?<![\w-])(?:{trie_alternation([w for words in (data.get('target_categories') or {}).values() for w in words], fold=True)})(?![\w-])"
        )
        self.tags = [(tag, words_regex(words)) for tag, words in (data.get("tags") or {}).items()]
        # Compiled once here, not per figure: the figure readers' contexts built from the lists.
        people = self.people.pattern
        auxiliaries = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(data.get("casualty_auxiliaries") or ["were", "was"], key=lambda w: (-len(w), w)))
        self.people_after = re.compile(rf"\s*(?:[\w-]+\s+)?(?:{people})", re.IGNORECASE)
        bracket = r"(?:\s*\([A-Za-z0-9 .-]{1,15}\))?"
        self.casualty_gap = re.compile(
            # ", including a child," between the people and their verb is skipped, and so is a
            # dash's aside ("six people - five pupils and their teacher - were killed")
            # "two residents of Shostka died": where the people are from is skipped too
            # "two teachers were killed": any plural noun that an auxiliary follows
            # "six drivers and assistants were killed": two nouns of the same people
            # "two (2) of the attackers were neutralised": a share of the people named
            # "30 soldiers and volunteer auxiliaries (VDP) were killed": the second noun with its
            # modifier, either with its abbreviation in brackets
            rf"\s*(?:(?:of\s+(?:the|its|their|our|his|her)\s+)?(?:and\s+)?(?:[\w-]+\s+)?(?:{people}|(?-i:[a-z]+[^s\W]s)(?={bracket}\s+(?:{auxiliaries})\s)){bracket}(?:\s+and\s+(?:[\w-]+\s+){{0,2}}(?:{people}|(?-i:[a-z]+[^s\W]s)(?={bracket}\s+(?:{auxiliaries})\s)){bracket})?(?:\s+(?:of|from|in)\s+(?:the\s+)?(?-i:[A-Z])[\w'’-]+(?:\s+(?-i:[A-Z])[\w'’-]+)?)?\s*(?:,\s*(?:(?:including|among\s+them)\s+)?[^,.;]{{1,60}},|\s+[-–—]\s+[^-–—,.;]{{1,60}}\s+[-–—])?\s+|(?:more|other)\s+)?(?:(?:{auxiliaries})\s+)?(?:(?:reportedly|later|also|seriously|critically|badly|lightly|confirmed|now)\s+)?",
            re.IGNORECASE,
        )
        self.casualty_before = {
            # "killed a family of four", "claimed the lives of two people"
            # "injured a further 22", "wounding another five", "killing a total of 31"
            fld: re.compile(rf"(?:{rx.pattern})\s+(?:(?:a|an|the)\s+(?:family|group)\s+of\s+|a\s+further\s+|another\s+|a\s+total\s+of\s+)?(?:(?:at\s+least|about|some|nearly|around|over|more\s+than)\s+)?$", re.IGNORECASE)
            for fld, rx in self.casualty.items()
        }
        # "the death toll ... has risen to": the text before a count that makes it the field's.
        toll_verbs = trie_alternation(data.get("toll_verbs") or [], fold=True)
        self.toll_before = {
            fld: re.compile(rf"(?<![\w-])(?:{trie_alternation(words, fold=True)})(?![\w-])(?:[^.;]{{0,60}}?\s)?(?:{toll_verbs})\s+(?:(?:at\s+least|about|some|nearly|around|over|more\s+than|between)\s+)?$", re.IGNORECASE)
            for fld, words in (data.get("tolls") or {}).items()
        }
        self.intercept_before = re.compile(rf"(?:{self.intercept.pattern})\s+(?:(?:a\s+total\s+of|all\s+but|only)\s+)?$", re.IGNORECASE)
        # "18 missiles and 226 drones were neutralised": the first count of a list the verb governs.
        self.intercept_after_list = re.compile(
            rf"\s*(?:[\w-]+\s+){{0,2}}?(?:{self.weapons.pattern})\s*,?\s+and\s+(?:[\w-]+\s+){{1,4}}?(?:{self.weapons.pattern})\s+(?:were|was|have\s+been|had\s+been)\s+(?:\w+\s+)?(?:{self.intercept.pattern})",
            re.IGNORECASE,
        )
        # "718 of the drones and seven of the missiles were shot down": the list's next share.
        self.share_list_after = re.compile(rf"\s*,?\s*and\s+[\w\s,-]{{1,60}}?\s+of\s+(?:the\s+|those\s+|these\s+)?(?:[\w-]+\s+)?(?:{self.weapons.pattern})", re.IGNORECASE)
        self.respectively_after = re.compile(rf"\s+respectively\s+(?:(?:were|was|have\s+been|had\s+been)\s+)?(?:\w+\s+)?(?:{self.intercept.pattern})", re.IGNORECASE)
        self.intercept_after = re.compile(rf"\s*(?:[\w-]+\s+){{0,4}}?(?:(?:were|was|have\s+been|had\s+been)\s+)?(?:\w+\s+)?(?:{self.intercept.pattern})", re.IGNORECASE)
        cue_words = [w for spec in data["kinds"].values() for cue in spec.get("cues") or [] for w in cue.get("words") or []]
        # Any cue word or anaphora at all, in lower-cased text (case-sensitive patterns are much
        # cheaper): a sentence without one has no mention to look for.
        self.any_cue_lower = re.compile(rf"(?<![\w-])(?:{trie_alternation([*cue_words, *data.get('anaphora', [])], fold=True)})(?![\w-])")
        # Every cue word in a clause, overlapping ones too, in one pass (cue_words_in).
        self._prefix_keys: dict[str, tuple[str, ...]] = {}
        self._cue_words = re.compile(rf"(?<![\w-])(?=({trie_alternation(cue_words, fold=True)})(?![\w-]))")

    def cue_words_in(self, text: str) -> set[str]:
        """The cue words in ``text`` (keys as in Cue.keys), so that only the cues that can match
        are run. At one position the pattern gives the longest word; the shorter words it begins
        with ("sanctions" in "sanctions package", "U.N" in "U.N.") are added, as a cue's own
        pattern finds them."""
        present: set[str] = set()
        memo = self._prefix_keys
        for m in self._cue_words.finditer(text.lower()):
            phrase = m.group(1)
            keys = memo.get(phrase)
            if keys is None:  # the phrase's keys, worked out once per distinct phrase
                keys = memo[phrase] = tuple(phrase_key(phrase[: cut.start()]) for cut in _PREFIX_ENDS.finditer(phrase))
                if len(memo) > 10_000:
                    memo.clear()
            present.update(keys)
        return present

    def _kind(self, name: str, spec: dict[str, Any]) -> Kind:
        where = f"kinds.{name}"
        acled = spec.get("acled") or {}
        event_type, sub = acled.get("event_type"), acled.get("sub_event_type")
        if event_type not in SUB_EVENT_TYPES:
            raise config_error(self.path, f"{where}.acled.event_type", f"unknown ACLED event type '{event_type}'")
        if sub is not None and sub not in SUB_EVENT_TYPES[event_type]:
            raise config_error(self.path, f"{where}.acled.sub_event_type", f"'{sub}' is not a sub-event type of '{event_type}'")
        dk = spec.get("diplomatic_kind")
        if dk is not None and dk not in DiplomaticKind.__args__:  # type: ignore[attr-defined]
            raise config_error(self.path, f"{where}.diplomatic_kind", f"unknown diplomatic kind '{dk}'")
        cues = []
        for i, cue in enumerate(spec.get("cues") or []):
            if not cue.get("words"):
                raise config_error(self.path, f"{where}.cues[{i}]", "a cue needs 'words'")
            keys = frozenset(phrase_key(w) for w in cue["words"])
            cues.append(
                Cue(words_regex(cue["words"]), words_regex(cue["near"]) if cue.get("near") else None, int(cue.get("window", 6)), keys, bool(cue.get("refers_back")), bool(cue.get("needs_place")), bool(cue.get("object_only")), words_regex(cue["active_near"]) if cue.get("active_near") else None, bool(cue.get("needs_toll")), bool(cue.get("assault")))
            )
        if not cues:
            raise config_error(self.path, where, "a kind needs at least one cue")
        status = tuple((s, words_regex(words)) for s, words in (spec.get("status") or {}).items())
        return Kind(
            name, str(spec.get("group", name)), event_type, sub, tuple(cues), status, spec.get("default_status"),
            dk, spec.get("target_category"), str(spec.get("notes_prefix", "")),
        )  # fmt: skip


_DEFAULT: Patterns | None = None


def load_patterns(path: Path | None = None) -> Patterns:
    global _DEFAULT
    if path is None:
        if _DEFAULT is None:
            _DEFAULT = Patterns(load_mapping(DEFAULT_PATTERNS, "patterns"), DEFAULT_PATTERNS)
        return _DEFAULT
    return Patterns(load_mapping(path, "patterns"), path)
