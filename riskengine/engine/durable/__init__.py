"""The durable-rules adapter: the only package that imports durable-rules.

It drives durable's C core (``durable_rules_engine``, shipped in the durable-rules wheel) directly
rather than through ``durable.engine.Host``: the stock host runs actions on background timer
threads, so a call can return with firings still pending, and it swallows exceptions raised in
actions. Here no Python action ever runs. After each assert the pending actions are drained
explicitly (``start_action`` / ``complete_and_start_action`` until durable has none left), and
each action message is read for what fired and on which facts.

Each module reads on its own:

* ``layout``: durable's limits, conditions as durable sees them, and the simulated network
  that keeps each ruleset inside them.
* ``single``: the single-event stage (facts as representatives, an LRU cache of answers).
* ``patterns``: the pattern stage (candidates, joins, expiry and session rotation).
* ``plan``: a compiled rule set laid out over both stages and their rulesets.
* ``session``: one durable ruleset and its session, and the fact ids durable is given.
* ``decode``: reading durable's action messages.
* ``fallback``: what is evaluated in Python, written apart from riskengine.engine.reference
  (which this package never imports) so that the differential tests compare two readings.
* ``matcher``: ``DurableMatcher``, which ties the stages together.

What durable cannot be trusted with is evaluated in Python (``fallback``), with the semantics
riskengine.engine.reference states: ``contains`` and ``matches`` (durable's regex dialect is
small and case-sensitive), order tests on strings (durable compares raw JSON bytes and past the
end of the shorter string), tests on lists, fields whose rule constants mix kinds, and joins
between fields whose kind is not known to be the same. Python tests reach durable as boolean
keys (``"p4": true``); Python joins filter durable's firings. A rule of two legs whose joins are
only a date span is matched by the pattern stage without durable (``patterns.DateJoin``): durable
indexes equalities only, and one durable rule per day of the span cost more than a table by day.

Limits and bugs of durable 2.0.28, measured and read in its C source (src/rules/*.c), and what
this package does about each (the tests in tests/test_durable.py fail if one comes back):

* A fact matching no rule sets result code 1, an already-seen fact id code 2 (the Python wrapper
  raises on both before any action runs): ids are unique per session and code 1 is normal.
* durable knows a fact by a 32-bit FNV hash of its id's text, and compares only the hash: ids
  40189 and 797186 collide, and the second fact is dropped with code 2, or with code 1 when a
  fact matching nothing follows it in the batch (only the last code is reported). Ids come
  from ``session.FactIds``, which skips any whose hash a held fact (or the marker, or the
  session's state object) has; every assert checks its ids against the session's, and every
  result code other than 0 and 1 raises EngineError.
* 255 properties per fact including ``sid`` and ``id``: more raises EngineLimitError before any
  assert. 16 facts per rule (17 fails at assert): more legs raise EngineLimitError at compile.
* 31 expressions per leg (each join one, each ``$and``/``$or`` two): extra joins are checked in
  Python, conditions too deep to fit become one Python test.
* Per alpha node: 511 hashed children (512 hangs), 127 "not exists"/``$or`` links (128 fails),
  255 rules ending on it (256 segfaults); a fact may push at most 64 matching nodes on the
  traversal stack (error 303). Each ruleset's network is simulated as it is filled
  (``layout.Layout``) and closed before a budget is reached; a condition that alone breaks one becomes a Python
  test. At most 400 rules per ruleset.
* An equality join hashes ints with ``%lld`` and doubles with ``%f``, so 7 never meets 7.0:
  whole floats are sent as ints.
* A join on a property the other fact lacks aborts the whole assert (error 311): both sides of
  every join are guarded with ``$ex``.
* A failing join just before the end of a leg's ``$and`` makes durable read past the expression
  sequence (a segfault at the end of the node pool): every leg with joins ends with one that
  always holds (``patterns._ALWAYS``).
* ``$or`` is a merge node: a fact matching two branches fires twice. Firings are de-duplicated.
* The session's own state object is a fact too and satisfies conditions like ``$nex``: firings
  on it are ignored.
* About 8.6 KB per stored fact, and 1,024 sessions per ruleset. Deleting a session is the only
  safe way to free facts, and it has two bugs of its own: see ``session.Ruleset``. The
  single-event session is deleted after every batch; pattern facts are released by session
  rotation (``PatternStage.rotate``), never by retraction.
* One action message per firing costs a C call and a JSON decode each: rules carry ``cap`` so
  that one message holds every result of a rule, read with a regular expression (``decode``).
"""

from riskengine.engine.durable.decode import CAP, decode
from riskengine.engine.durable.layout import (
    MAX_BETAS,
    MAX_EXPRESSIONS,
    MAX_FACT_KEYS,
    MAX_HASHED_CHILDREN,
    MAX_LEGS,
    MAX_LIST_CHILDREN,
    MAX_RULES_PER_RULESET,
    MAX_STACK,
    Layout,
    Lit,
    conj,
    disj,
)
from riskengine.engine.durable.matcher import DurableMatcher
from riskengine.engine.durable.plan import Plan
from riskengine.engine.durable.session import FactIds, id_hash
from riskengine.engine.durable.single import Unrepresentable

__all__ = [
    "CAP",
    "MAX_BETAS",
    "MAX_EXPRESSIONS",
    "MAX_FACT_KEYS",
    "MAX_HASHED_CHILDREN",
    "MAX_LEGS",
    "MAX_LIST_CHILDREN",
    "MAX_RULES_PER_RULESET",
    "MAX_STACK",
    "DurableMatcher",
    "FactIds",
    "Layout",
    "Lit",
    "Plan",
    "Unrepresentable",
    "conj",
    "decode",
    "disj",
    "id_hash",
]
