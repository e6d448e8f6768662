"""Where the extractor's missed events come from, and a learned event detector judged
leave-one-set-out (issue 14, session 19; docs/EXTRACTION.md, "Session 19").

    python benchmarks/extract_loso.py gather      # extract every gold set once (rules only), cache
    python benchmarks/extract_loso.py classify    # the missed and spurious events, by class
    python benchmarks/extract_loso.py loso        # train on all sets but one, score it; every set
    python benchmarks/extract_loso.py train       # the shipped weights, from every gold set (make detector)
    python benchmarks/extract_loso.py loso-real   # leave-one-set-out through the real extractor
    python benchmarks/extract_loso.py scores      # every set with the shipped weights (scores-rules: without)

The sets are tests/extract/*_gold.yaml with the folder of the same name (unseen_gold.yaml: the
folder articles/), and the seeds' gold.yaml when ../shared/seeds is beside the checkout (scored,
never trained on: the texts are not in the repository, so the weights would not rebuild).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from riskengine.core.errors import InputError  # noqa: E402
from riskengine.ingest.extract.articles import Extractor  # noqa: E402
from riskengine.ingest.extract.evaluate import Report, evaluate, gold_view, load_gold, predicted_view, score_document  # noqa: E402
from riskengine.ingest.extract.learned import WEIGHTS, train  # noqa: E402
from riskengine.ingest.extract.text import read_article  # noqa: E402

HERE = ROOT / "tests" / "extract"
# ../shared/seeds beside the checkout, as the README's layout has it; a worktree one folder deeper
# (work/wt/NAME) finds it one level up. /work/main looked only two levels up and scored no seeds.
SEEDS = next((p / "shared" / "seeds" for p in (ROOT.parent, ROOT.parent.parent) if (p / "shared" / "seeds").is_dir()), ROOT.parent / "shared" / "seeds")
# One cache per checkout: two worktrees sharing one file read each other's extraction.
_CHECKOUT_TAG = hashlib.sha256(str(ROOT).encode()).hexdigest()[:10]
CACHE = Path(os.environ.get("EXTRACT_LOSO_CACHE", f"/tmp/extract_loso_cache_{_CHECKOUT_TAG}.pkl"))


def gold_sets() -> list[tuple[str, Path, list[Path]]]:
    out = []
    for gold in sorted(HERE.glob("*_gold.yaml")):
        name = gold.name[: -len("_gold.yaml")]
        folder = HERE / ("articles" if name == "unseen" else name)
        docs, _ = load_gold(gold)
        out.append((name, gold, [folder / d for d in sorted(docs)]))
    if SEEDS.is_dir():
        out.append(("seeds", HERE / "gold.yaml", sorted(SEEDS.glob("0*.txt"))))
    return out


class Probe(Extractor):
    """The rules, with what their filters dropped and what reached clustering written down."""

    def _blocked(self, article: Any, m: Any) -> bool:
        r = super()._blocked(article, m)
        if r:
            self.rec["blocked"].append((m.sentence.index, m.kind.name))
        return r

    def _background(self, article: Any, m: Any, clause_text: str) -> bool:
        r = super()._background(article, m, clause_text)
        if r:
            self.rec["background"].append((m.sentence.index, m.kind.name))
        return r

    def _cluster(self, mentions: Any, published: Any = None) -> Any:
        self.rec["clustered"].extend((m.sentence.index, m.kind.name) for m in mentions)
        return super()._cluster(mentions, published)


def _sentence_of(starts: list[int], at: int) -> int:
    lo = 0
    for i, s in enumerate(starts):
        if s <= at:
            lo = i
        else:
            break
    return lo


def gather_article(ex: Probe, path: Path, meta: dict[str, Any] | None) -> dict[str, Any]:
    ex.rec = defaultdict(list)
    article = read_article(path, meta)
    rec: dict[str, Any] = {"name": path.name, "published": article.published, "predicted": [], "spans": [], "sentences": [], "places": [], "dates": []}
    try:
        items = ex.extract(article)
    except InputError:
        items = []
    starts = [s.start for s in article.sentences]
    for it in items:
        rec["predicted"].append(predicted_view(it))
        spans = it.provenance["fields"].get("event_type") or []
        rec["spans"].append(_sentence_of(starts, spans[0]["start"]) if spans and starts else None)
    for i, s in enumerate(article.sentences):
        text = article.work[s.start : s.end]
        rec["sentences"].append({"text": text, "paragraph": s.paragraph, "heading": s.heading, "index": i})
        # (a log's or table's entries are read as articles of their own: the places read last
        # are then another text's)
        places = ex._places[i][0] if len(getattr(ex, "_places", [])) == len(article.sentences) else []
        rec["places"].append([(p.text, p.start, p.place.level, p.place.name, p.place.country, p.side_adjective) for p in places])
        rec["dates"].append([(d.date, d.future, d.precision) for d in (ex._clause_dates(text, article.published, s.start) if article.published else [])])
    rec["home"] = getattr(ex, "_home", None)
    rec["rec"] = dict(ex.rec)
    return rec


def gather() -> None:
    ex = Probe(detector=False)
    data: dict[str, list[dict[str, Any]]] = {}
    for name, gold_path, paths in gold_sets():
        gold, meta = load_gold(gold_path)
        recs = []
        for p in paths:
            r = gather_article(ex, p, meta.get(p.name))
            r["gold"] = [gold_view(g) for g in gold[p.name]]
            recs.append(r)
        data[name] = recs
        print(name, len(recs), file=sys.stderr)
    CACHE.write_bytes(pickle.dumps(data))


def load() -> dict[str, list[dict[str, Any]]]:
    return pickle.loads(CACHE.read_bytes())


def score_set(recs: list[dict[str, Any]], extra: dict[str, list[dict[str, Any]]] | None = None, drop: dict[str, set[int]] | None = None) -> Report:
    report = Report()
    for r in recs:
        pred = [p for i, p in enumerate(r["predicted"]) if i not in (drop or {}).get(r["name"], set())]
        pred = pred + (extra or {}).get(r["name"], [])
        score_document(r["name"], pred, r["gold"], report)
        report.documents += 1
    return report


def event_counts(report: Report) -> tuple[int, int, int]:
    """(aligned, spurious, missed) events, read from the mistake lines and the kind field."""
    spurious = sum(": spurious " in m for m in report.mistakes)
    missed = sum(": missed " in m for m in report.mistakes)
    c = report.fields["event_type"]
    return c.tp + c.fp - spurious, spurious, missed


def table(data: dict[str, list[dict[str, Any]]]) -> None:
    print(f"{'set':<10} {'P':>6} {'R':>6} {'F1':>6}  {'events':>6} {'spur':>5} {'miss':>5}")
    for name, recs in data.items():
        rep = score_set(recs)
        o = rep.overall
        a, s, m = event_counts(rep)
        print(f"{name:<10} {o.precision:>6.3f} {o.recall:>6.3f} {o.f1:>6.3f}  {a:>6} {s:>5} {m:>5}")


def _variants(name: str) -> list[str]:
    low = name.casefold()
    out = [low]
    for prefix in ("al-", "el-", "ad-", "as-", "ar-", "an-"):
        if low.startswith(prefix):
            out.append(low[len(prefix) :])
    head = re.split(r"[\s-]", low)[0]
    if len(head) >= 5 and head not in out:
        out.append(head)
    return out


def gold_sentences(r: dict[str, Any], g: dict[str, Any]) -> list[int]:
    """The sentences that name the gold event's place (how a gold event is aligned to text)."""
    loc = g.get("location")
    if not loc:
        return []
    for v in _variants(str(loc)):
        hits = [s["index"] for s in r["sentences"] if not s["heading"] and v in s["text"].casefold()]
        if hits:
            return hits
    return []


def aligned_pairs(pred: list[dict[str, Any]], gold: list[dict[str, Any]]) -> tuple[list[tuple[int, int]], set[int], set[int]]:
    """score_document's one-to-one alignment: (pairs, unaligned predicted, unaligned gold)."""
    from riskengine.ingest.extract.evaluate import align

    out, up = align(pred, gold)
    ug = {j for _, j in out}
    return out, set(range(len(pred))) - up, {j for j in range(len(gold)) if j not in ug and not gold[j].get("optional")}


def classify(data: dict[str, list[dict[str, Any]]], show: int = 4) -> None:
    missed: Counter[str] = Counter()
    spurious: Counter[str] = Counter()
    examples: dict[str, list[str]] = defaultdict(list)
    per_set: dict[str, Counter[str]] = defaultdict(Counter)
    for set_name, recs in data.items():
        for r in recs:
            pairs, sp, mg = aligned_pairs(r["predicted"], r["gold"])
            taken = {r["spans"][i] for i, _ in pairs}
            {r["spans"][i]: i for i in sp}
            for j in sorted(mg):
                g = r["gold"][j]
                sents = gold_sentences(r, g)
                blocked = {s for s, _ in r["rec"].get("blocked", [])}
                background = {s for s, _ in r["rec"].get("background", [])}
                clustered = {s for s, _ in r["rec"].get("clustered", [])}
                wrong = [i for i in sp if r["spans"][i] in sents or (r["predicted"][i]["kind"] == g["kind"] and r["predicted"][i]["event_date"] == g.get("event_date"))]
                if wrong:
                    cls = "M4 taken, wrong kind or place (a spurious event instead)"
                elif not sents:
                    cls = "M5 gold place not written in the text (or no place)"
                elif any(s in taken for s in sents) and not any(s in clustered and s not in taken for s in sents):
                    cls = "M2 merged: its sentence made another gold event"
                elif any(s in clustered for s in sents):
                    cls = "M2b reached clustering, merged or dropped there"
                elif any(s in background for s in sents):
                    cls = "M3 dropped as background (date or period)"
                elif any(s in blocked for s in sents):
                    cls = "M3b dropped by another filter (hypothetical, tally, negated)"
                else:
                    cls = "M1 no mention in its sentences (vocabulary)"
                missed[cls] += 1
                per_set[set_name][cls[:3].strip()] += 1
                first = r["sentences"][sents[0]]["text"].strip().replace("\n", " ")[:150] if sents else ""
                examples[cls].append(f"{set_name}/{r['name']}: {g['kind']} {g.get('location') or g['country']} {g.get('event_date')} | {first}")
            for i in sorted(sp):
                p = r["predicted"][i]
                s = r["spans"][i]
                gold_here = [j for j, g in enumerate(r["gold"]) if s is not None and s in gold_sentences(r, g)]
                if any(j in mg for j in gold_here):
                    cls = "S2 a gold event's sentence, wrong kind or place"
                elif gold_here:
                    cls = "S3 a second event from an aligned event's sentence (split)"
                else:
                    cls = "S1 a sentence no gold event is placed in (background, tally, not an event)"
                spurious[cls] += 1
                text = r["sentences"][s]["text"].strip().replace("\n", " ")[:150] if s is not None else ""
                examples[cls].append(f"{set_name}/{r['name']}: {p['kind']} {p.get('location') or p['country']} {p['event_date']} | {text}")
    print("missed gold events:", sum(missed.values()))
    for k, v in sorted(missed.items()):
        print(f"  {v:>4}  {k}")
    print("spurious events:", sum(spurious.values()))
    for k, v in sorted(spurious.items()):
        print(f"  {v:>4}  {k}")
    print("per set:", {k: dict(v) for k, v in per_set.items()})
    for k in sorted(examples):
        print(f"\n## {k}")
        for e in examples[k][: show if show >= 0 else None]:
            print("  ", e)



NEED_PLACE = True  # an added event needs a town or region in its sentence (LOSO: see the docs)


def sentence_labels(r: dict[str, Any]) -> dict[int, str]:
    """Each gold event's sentence: the one the rules' aligned event came from, else the first
    that names the gold event's place (gold events with no place named are left unaligned)."""
    pairs, _, _ = aligned_pairs(r["predicted"], r["gold"])
    by_gold = {j: r["spans"][i] for i, j in pairs}
    out: dict[int, str] = {}
    for j, g in enumerate(r["gold"]):
        s = by_gold.get(j)
        if s is None:
            hits = gold_sentences(r, g)
            s = hits[0] if hits else None
        if s is not None and s not in out:
            out[s] = str(g["kind"])
    return out


def taken_sentences(r: dict[str, Any]) -> set[int]:
    """The sentences the patterns made a mention of (the extractor's ``taken``)."""
    return {s for s in r["spans"] if s is not None} | {s for s, _ in r["rec"].get("clustered", [])}


def samples(recs: list[dict[str, Any]]) -> tuple[list[list[str]], list[str]]:
    from riskengine.ingest.extract.learned import NONE, features

    xs: list[list[str]] = []
    ys: list[str] = []
    for r in recs:
        labels = sentence_labels(r)
        taken = taken_sentences(r)
        for s in r["sentences"]:
            if s["heading"]:
                continue
            i = s["index"]
            xs.append(features(s["text"], r["places"][i], r["dates"][i], i, s["paragraph"], i in taken))
            ys.append(labels.get(i, NONE))
    return xs, ys


def added_events(model: Any, r: dict[str, Any], threshold: float, need_place: bool | None = None) -> list[dict[str, Any]]:
    """Events for the sentences the rules took nothing from that the model scores as events."""
    from riskengine.ingest.extract.learned import features

    taken = taken_sentences(r)
    out: list[dict[str, Any]] = []
    have = {(p["kind"], (p.get("location") or "").casefold()) for p in r["predicted"]}
    for s in r["sentences"]:
        i = s["index"]
        if s["heading"] or i in taken:
            continue
        best, prob = model.best(features(s["text"], r["places"][i], r["dates"][i], i, s["paragraph"], False))
        if best is None or prob < threshold:
            continue
        kind = best
        towns = [p for p in r["places"][i] if not p[5] and p[2] in ("place", "region")]
        place = towns[0] if towns else None
        if place is None and (NEED_PLACE if need_place is None else need_place):
            continue
        location = place[3] if place else None
        if (kind, (location or "").casefold()) in have:
            continue
        have.add((kind, (location or "").casefold()))
        said = [d[0] for d in r["dates"][i] if not d[1]]
        before = [p["event_date"] for p, sp in zip(r["predicted"], r["spans"], strict=True) if sp is not None and sp <= i]
        date = said[0] if said else (before[-1] if before else r["published"])
        country = place[4] if place else (r["home"] or "UKR")
        out.append({"kind": kind, "country": country, "event_date": date, "location": location})
    return out


def vetoed(model: Any, r: dict[str, Any], threshold: float) -> set[int]:
    """The rules' events whose sentence the model scores as no event at ``threshold`` or above."""
    from riskengine.ingest.extract.learned import features

    out: set[int] = set()
    for i, s in enumerate(r["spans"]):
        if s is None:
            continue
        sent = r["sentences"][s]
        if model.probabilities(features(sent["text"], r["places"][s], r["dates"][s], s, sent["paragraph"], True))[0] >= threshold:
            out.add(i)
    return out


def loso(data: dict[str, list[dict[str, Any]]], thresholds: list[float], veto: bool = False) -> None:
    from riskengine.ingest.extract.learned import train

    trainable = [n for n in data if n != "seeds"]
    feats = {n: samples(data[n]) for n in trainable}
    rows: dict[float, list[tuple[str, Any, Any]]] = {t: [] for t in thresholds}
    base_rows = []
    for held in data:
        xs = [x for n in trainable if n != held for x in feats[n][0]]
        ys = [y for n in trainable if n != held for y in feats[n][1]]
        model = train(xs, ys)
        base = score_set(data[held])
        base_rows.append((held, base))
        for t in thresholds:
            if veto:
                drop = {r["name"]: vetoed(model, r, t) for r in data[held]}
                rows[t].append((held, base, score_set(data[held], drop=drop)))
            else:
                extra = {r["name"]: added_events(model, r, t) for r in data[held]}
                rows[t].append((held, base, score_set(data[held], extra)))
        print(held, "done", file=sys.stderr)
    for t in thresholds:
        print(f"\nthreshold {t}")
        print(f"{'set':<10} {'rules P':>7} {'R':>6} {'F1':>6} {'+model P':>8} {'R':>6} {'F1':>6} {'dF1':>7}  {'ev +':>4} {'miss':>9} {'spur':>9}")
        gains = losses = 0
        for held, base, mod in rows[t]:
            b, m = base.overall, mod.overall
            _, bs, bm = event_counts(base)
            _, ms, mm = event_counts(mod)
            d = m.f1 - b.f1
            gains += d > 0.0005
            losses += d < -0.0005
            print(f"{held:<10} {b.precision:>7.3f} {b.recall:>6.3f} {b.f1:>6.3f} {m.precision:>8.3f} {m.recall:>6.3f} {m.f1:>6.3f} {d:>+7.3f}  {'':>4} {bm:>4}->{mm:<4} {bs:>4}->{ms:<4}")
        tot_b = Report()
        tot_m = Report()
        for _, base, mod in rows[t]:
            for f in tot_b.fields:
                for a in ("tp", "fp", "fn"):
                    setattr(tot_b.fields[f], a, getattr(tot_b.fields[f], a) + getattr(base.fields[f], a))
                    setattr(tot_m.fields[f], a, getattr(tot_m.fields[f], a) + getattr(mod.fields[f], a))
        print(f"all sets: F1 {tot_b.overall.f1:.3f} -> {tot_m.overall.f1:.3f}; sets gaining {gains}, losing {losses}, of {len(rows[t])}")


def trained(data: dict[str, list[dict[str, Any]]], leave_out: str | None = None) -> Any:
    xs: list[list[str]] = []
    ys: list[str] = []
    for name in sorted(data):
        if name in ("seeds", leave_out):
            continue
        x, y = samples(data[name])
        xs += x
        ys += y
    return train(xs, ys)


def write_weights(data: dict[str, list[dict[str, Any]]]) -> None:
    """The shipped weights: trained on every gold set in the repository (``make detector``)."""
    WEIGHTS.write_text(trained(data).to_json(), encoding="utf-8")
    print(f"wrote {WEIGHTS.relative_to(ROOT)}", file=sys.stderr)


def loso_real(data: dict[str, list[dict[str, Any]]]) -> None:
    """Leave-one-set-out through the real extractor: for each set, weights trained on the others,
    the set extracted with them, scored as `riskengine extract --evaluate` scores it."""
    sets = {name: (gold, paths) for name, gold, paths in gold_sets()}
    rules = Extractor(detector=False)
    print(f"{'set':<10} {'rules P':>7} {'R':>6} {'F1':>6}  {'+det P':>6} {'R':>6} {'F1':>6} {'dF1':>7}  {'missed':>8} {'spurious':>8}")
    totals = [Report(), Report()]
    moved = Counter()
    for name in data:
        gold, paths = sets[name]
        model = trained(data, leave_out=name)
        reports = [evaluate(gold, paths, extractor=rules), evaluate(gold, paths, extractor=Extractor(detector=model))]
        (b, m) = (reports[0].overall, reports[1].overall)
        (_, bs, bm), (_, ms, mm) = event_counts(reports[0]), event_counts(reports[1])
        d = m.f1 - b.f1
        moved["gain" if d > 0.0005 else "loss" if d < -0.0005 else "same"] += 1
        print(f"{name:<10} {b.precision:>7.3f} {b.recall:>6.3f} {b.f1:>6.3f}  {m.precision:>6.3f} {m.recall:>6.3f} {m.f1:>6.3f} {d:>+7.3f}  {bm:>3}->{mm:<4} {bs:>3}->{ms:<4}", flush=True)
        for total, rep in zip(totals, reports, strict=True):
            for f, c in rep.fields.items():
                for a in ("tp", "fp", "fn"):
                    setattr(total.fields[f], a, getattr(total.fields[f], a) + getattr(c, a))
    b, m = totals[0].overall, totals[1].overall
    print(f"all sets: P {b.precision:.3f} -> {m.precision:.3f}, R {b.recall:.3f} -> {m.recall:.3f}, F1 {b.f1:.3f} -> {m.f1:.3f}; sets gaining {moved['gain']}, losing {moved['loss']}, unchanged {moved['same']}")


def scores(detector: bool) -> None:
    """Every set as `riskengine extract --evaluate` scores it (with or without the detector)."""
    ex = Extractor(detector=detector)
    print(f"{'set':<10} {'P':>6} {'R':>6} {'F1':>6}  {'events':>6} {'spur':>5} {'miss':>5}")
    total = Report()
    for name, gold, paths in gold_sets():
        rep = evaluate(gold, paths, extractor=ex)
        o = rep.overall
        a, sp, mi = event_counts(rep)
        print(f"{name:<10} {o.precision:>6.3f} {o.recall:>6.3f} {o.f1:>6.3f}  {a:>6} {sp:>5} {mi:>5}", flush=True)
        for f, c in rep.fields.items():
            for attr in ("tp", "fp", "fn"):
                setattr(total.fields[f], attr, getattr(total.fields[f], attr) + getattr(c, attr))
    o = total.overall
    print(f"all sets: P {o.precision:.3f} R {o.recall:.3f} F1 {o.f1:.3f} (tp {o.tp}, fp {o.fp}, fn {o.fn})")


if __name__ == "__main__":
    cmd = sys.argv[1] if len(sys.argv) > 1 else "table"
    if cmd == "table":
        table(load())
    elif cmd == "classify":
        classify(load(), int(sys.argv[2]) if len(sys.argv) > 2 else 4)
    elif cmd == "loso-any-place":
        NEED_PLACE = False
        loso(load(), [float(t) for t in sys.argv[2:]] or [0.5])
    elif cmd == "loso":
        loso(load(), [float(t) for t in sys.argv[2:]] or [0.5])
    elif cmd == "veto":
        loso(load(), [float(t) for t in sys.argv[2:]] or [0.9], veto=True)
    elif cmd == "gather":
        gather()
    elif cmd == "train":
        gather()  # the patterns of this checkout: "rules_took" must mean what it will mean
        write_weights(load())
    elif cmd in ("scores", "scores-rules"):
        scores(cmd == "scores")
    elif cmd == "loso-real":
        loso_real(load())
