"""A learned event detector: scores a sentence as telling an event of kind K (or none).

Multinomial logistic regression over sparse binary features (words, crude lemmas, bigrams,
numbers beside casualty nouns, a place after a locative preposition, a date told, the sentence's
position, whether the rules took it). Trained by `python benchmarks/extract_loso.py train` from
the gold sets (tests/extract/*_gold.yaml); the weights are JSON (no pickle: loading runs no code),
and training is full-batch gradient descent from zero, so the same sets give the same bytes.
"""

from __future__ import annotations

import base64
import functools
import itertools
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from riskengine.core.errors import InputError, Issue, Location

if TYPE_CHECKING:
    from riskengine.ingest.extract.dates import DatePhrase
    from riskengine.ingest.extract.gazetteer import PlaceMention

WEIGHTS = Path(__file__).with_name("detector.json")

NONE = "none"
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*|\d[\d,.]*")
_CASUALTY = re.compile(r"\b(?:killed|killing|dead|died|deaths?|wounded|wounding|injured|injuring|injuries|casualties|bodies|lives)\b", re.IGNORECASE)
_NUMBER = re.compile(r"\b(?:\d[\d,]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens?|scores|hundreds)\b", re.IGNORECASE)
_LOCATIVE = ("in", "near", "at", "on", "outside", "around", "of", "from", "into", "to")


def _lemma(word: str) -> str:
    # crude and fixed, so that "strikes", "struck" and "striking" share some weight
    for suffix in ("ings", "ing", "ies", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def features(text: str, places: list[tuple[Any, ...]], dates: list[tuple[Any, ...]], index: int, paragraph: int, taken: bool) -> list[str]:
    """The sentence's features. ``places``: (text, start, level, name, country, side_adjective);
    ``dates``: (date, future, precision); ``taken``: the rules made an event from it."""
    words = [w.lower() for w in _WORD.findall(text)]
    out = {"bias"}
    out.update(f"w={w}" for w in words if not w[0].isdigit())
    out.update(f"l={_lemma(w)}" for w in words if not w[0].isdigit())
    out.update(f"b={a}_{b}" for a, b in itertools.pairwise(words) if not a[0].isdigit() and not b[0].isdigit())
    if any(w[0].isdigit() for w in words):
        out.add("num")
    for m in _NUMBER.finditer(text):
        if _CASUALTY.search(text, m.end(), m.end() + 40):
            out.add("num_casualty")
            break
    if _CASUALTY.search(text):
        out.add("casualty")
    towns = [p for p in places if not p[5] and p[2] == "place"]
    regions = [p for p in places if not p[5] and p[2] == "region"]
    out.add(f"towns={min(len(towns), 3)}")
    if regions:
        out.add("region")
    for p in towns:
        before = text[: p[1]].split()[-1:] if p[1] > 0 else []
        if before and before[0].lower() in _LOCATIVE:
            out.add(f"loc_prep={before[0].lower()}")
    said = [d for d in dates if not d[1]]
    if said:
        out.add("date")
    if any(d[1] for d in dates):
        out.add("future")
    out.add(f"pos={min(index, 5)}")
    out.add(f"para={min(paragraph, 3)}")
    out.add(f"len={min(len(words) // 10, 5)}")
    if taken:
        out.add("rules_took")
    return sorted(out)


def detector_features(text: str, places: list[PlaceMention], dates: list[DatePhrase], index: int, paragraph: int, taken: bool = False) -> list[str]:
    """``features`` of a sentence as the extractor reads it (places relative to the sentence)."""
    return features(text, [(p.text, p.start, p.place.level, p.place.name, p.place.country, p.side_adjective) for p in places], [(d.date, d.future, d.precision) for d in dates], index, paragraph, taken)


@dataclass
class Detector:
    kinds: list[str]  # class names, NONE first
    vocab: dict[str, int]
    weights: np.ndarray  # (features, classes)
    threshold: float

    def probabilities(self, feats: list[str]) -> np.ndarray:
        idx = [self.vocab[f] for f in feats if f in self.vocab]
        z = self.weights[idx].sum(axis=0) if idx else np.zeros(len(self.kinds))
        z = z - z.max(axis=0)  # numpy 2.5's stubs type the bare max() as needing an argument
        e = np.exp(z)
        return np.asarray(e / e.sum())

    def best(self, feats: list[str]) -> tuple[str | None, float]:
        """The likeliest event kind and its probability (None: no event is likelier)."""
        p = self.probabilities(feats)
        k = int(p.argmax(axis=0))
        return (None, float(p[k])) if k == 0 else (self.kinds[k], float(p[k]))

    def to_json(self) -> str:
        """JSON with the weights as little-endian float16 in base64: about a third of the size
        of decimals, read back without running code (no pickle)."""
        names = sorted(self.vocab, key=self.vocab.__getitem__)
        blob = self.weights[[self.vocab[n] for n in names]].astype("<f2").tobytes()
        data = {"kinds": self.kinds, "threshold": self.threshold, "features": names, "weights": base64.b64encode(blob).decode("ascii")}
        return json.dumps(data, sort_keys=True, indent=0) + "\n"

    @classmethod
    def from_json(cls, text: str, source: str = "<detector>") -> Detector:
        try:
            data = json.loads(text)
            kinds = [str(k) for k in data["kinds"]]
            names = [str(n) for n in data["features"]]
            weights = np.frombuffer(base64.b64decode(data["weights"], validate=True), dtype="<f2").astype(float).reshape(len(names), len(kinds))
            threshold = float(data["threshold"])
        except (ValueError, KeyError, TypeError) as error:
            raise InputError([Issue("E520", f"unreadable detector weights: {error}", Location(source))], f"bad detector file {source}") from error
        return cls(kinds, {n: i for i, n in enumerate(names)}, weights, threshold)

    @classmethod
    def load(cls, path: Path) -> Detector:
        return cls.from_json(path.read_text(encoding="utf-8"), str(path))


@functools.lru_cache(maxsize=1)
def default_detector() -> Detector:
    """The shipped weights (riskengine/ingest/extract/detector.json), read once."""
    return Detector.load(WEIGHTS)


def train(samples: list[list[str]], labels: list[str], min_count: int = 2, l2: float = 1e-4, steps: int = 80, rate: float = 0.3, threshold: float = 0.5) -> Detector:
    """Full-batch Adagrad on the class-balanced softmax loss, from zero weights (deterministic:
    the same samples give the same weights)."""
    counts: dict[str, int] = {}
    for s in samples:
        for f in s:
            counts[f] = counts.get(f, 0) + 1
    names = sorted(f for f, c in counts.items() if c >= min_count)
    vocab = {f: i for i, f in enumerate(names)}
    kinds = [NONE, *sorted({lab for lab in labels if lab != NONE})]
    k_index = {k: i for i, k in enumerate(kinds)}
    rows = [[vocab[f] for f in s if f in vocab] for s in samples]
    indptr = np.cumsum([0] + [len(r) for r in rows])
    indices = np.array([i for r in rows for i in r], dtype=np.int64)
    row_of = np.repeat(np.arange(len(rows)), [len(r) for r in rows])
    y = np.zeros((len(rows), len(kinds)))
    y[np.arange(len(rows)), [k_index[lab] for lab in labels]] = 1.0
    # the few event sentences weigh as much as the many others together, per class
    freq = y.sum(axis=0)
    class_weight = np.where(freq > 0, len(rows) / (len(kinds) * np.maximum(freq, 1)), 0.0)
    sample_weight = (y * class_weight).sum(axis=1, keepdims=True)
    # X transposed, as runs of one feature's rows: the gradient is then one reduceat, not add.at
    order = np.argsort(indices, kind="stable")
    by_feature = row_of[order]
    starts = np.flatnonzero(np.r_[True, np.diff(indices[order]) != 0])
    present = indices[order][starts]
    w = np.zeros((len(names), len(kinds)), dtype=np.float32)
    seen = np.zeros_like(w)
    y = y.astype(np.float32)
    sample_weight = sample_weight.astype(np.float32)
    for _ in range(steps):
        z = np.add.reduceat(w[indices], indptr[:-1], axis=0)
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        g = (p - y) * sample_weight / len(rows)
        grad = np.zeros_like(w)
        grad[present] = np.add.reduceat(g[by_feature], starts, axis=0)
        grad += l2 * w
        seen += grad * grad
        w -= rate * grad / (np.sqrt(seen) + 1e-6)
    # float16, as shipped: the model trained and the model loaded score alike
    return Detector(kinds, vocab, w.astype("<f2").astype(float), threshold)
