"""One durable ruleset and its session: creating it, asserting facts, draining the actions,
deleting the session; and the fact ids durable is given.

Fact ids. durable identifies a fact in a session by a 32-bit hash of its id's text alone
(state.c: ``fnv1Hash32`` of the id, then ``storeMessage`` compares only that hash): a second
fact whose id hashes the same is taken for the first and dropped. The assert then reports code
2, but a batch reports only its last non-zero code, so a later fact that matches nothing turns
it into the normal code 1 (events.c, handleMessages). The ids 40189 and 797186 are the first
such pair among the non-negative integers. So the adapter never lets two facts held in one
session share a hash: the numbers it gives durable come from ``FactIds``, which skips any whose
hash is taken, and every assert checks its ids against what the session holds before they go
in (a collision there is a bug in the adapter, raised as EngineError, never a lost firing).
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import json
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

import durable_rules_engine as _engine  # no stubs

from riskengine.core.errors import EngineError
from riskengine.core.native import NATIVE
from riskengine.engine.base import MatchStats

_ERRORS = {
    101: "out of memory",
    102: "unexpected type in a rule",
    104: "unexpected value in a rule",
    105: "unexpected name in a rule",
    106: "too many conditions on one node (more than 511)",
    107: "too many 'not exists' or 'or' links on one node (more than 127)",
    108: "too many rules ending on one node (more than 255)",
    112: "too many rulesets in this process",
    113: "too many expressions in one pattern (more than 31)",
    201: "malformed JSON",
    302: "too many properties in one fact",
    303: "a fact matches too many conditions at once (more than 64)",
    304: "too many facts in one rule (more than 16)",
    309: "unknown session",
    311: "a join refers to a property the other fact lacks",
}
# assert_facts returns these codes itself (the rest it raises): all matched, some fact matched
# no rule (normal), a fact id already held (never expected, see the module docstring), and
# "deferred", which only a ruleset with a queue callback gives (we set none).
OK, NOT_HANDLED, OBSERVED, DEFERRED = 0, 1, 2, 3

_names = itertools.count()


def fail(action: str, error: Exception) -> EngineError:
    text = str(error)
    code = text.rsplit(":", 1)[-1].strip()
    meaning = _ERRORS.get(int(code)) if code.isdigit() else None
    return EngineError(f"durable-rules failed to {action}: {text}" + (f" ({meaning})" if meaning else ""))


_FNV_OFFSET = 0x811C9DC5
_FNV_PRIME = 16777619


def id_hash(fact_id: int | str) -> int:
    """The hash durable keys a fact by: FNV over the id's JSON text (unquoted for a string),
    xor then multiply, each byte sign-extended as a C ``char`` (state.c, fnv1Hash32)."""
    if fact_id.__class__ is int and fact_id >= 0:
        return _number_hash(fact_id)
    h = _FNV_OFFSET
    for byte in str(fact_id).encode():
        h = ((h ^ (byte | 0xFFFFFF00 if byte & 0x80 else byte)) * _FNV_PRIME) & 0xFFFFFFFF
    return h


def _number_hash(number: int) -> int:
    # n's text is n // 10's and one digit more: ids come mostly in order, so the hash of the
    # prefix is usually cached, and the rest is one FNV step
    if number < 10:
        return _DIGITS[number]
    prefix, digit = divmod(number, 10)
    return ((_prefix_hash(prefix) ^ (48 + digit)) * _FNV_PRIME) & 0xFFFFFFFF


_prefix_hash = functools.lru_cache(maxsize=4096)(_number_hash)
_DIGITS = [((_FNV_OFFSET ^ (48 + d)) * _FNV_PRIME) & 0xFFFFFFFF for d in range(10)]


# riskengine.core._native.take_id where the extension is built (see FactIds), else None
_TAKE_ID: Callable[..., int] | None = getattr(NATIVE, "take_id", None)

MARKER_ID = -1
# Ids durable holds besides our facts: the marker asserted before a session is deleted (see
# Ruleset), and the session's own state object, ``"sid-<session>"`` (events.c, handleMessageCore).
RESERVED = frozenset({id_hash(MARKER_ID), id_hash("sid-0")})


class FactIds:
    """Fact ids for durable: numbers from ``numbers`` (by default 0, 1, 2, ...), skipping any
    whose hash a held id or a reserved one already has. An id is held from ``take`` until
    ``release``; it may then be given again."""

    def __init__(self, numbers: Iterable[int] | None = None, native: bool = True) -> None:
        self._numbers: Iterator[int] = iter(itertools.count() if numbers is None else numbers)
        self.held: dict[int, int] = {}  # hash -> id
        self.hashes: dict[int, int] = {}  # id -> hash, of the held ids (worked out once each)
        # the pattern stage takes one per candidate: in C where the extension is built
        # (take_id; this class's _take is its fallback and oracle)
        self.take: Callable[[], int] = self._take
        if native and _TAKE_ID is not None:
            self.take = functools.partial(_TAKE_ID, self._numbers, self.held, self.hashes, RESERVED, id_hash, EngineError)

    def _take(self) -> int:
        held = self.held
        for number in self._numbers:
            h = id_hash(number)
            if h not in held and h not in RESERVED:
                held[h] = number
                self.hashes[number] = h
                return number
        raise EngineError("durable-rules fact ids ran out")  # only a finite ``numbers`` ends

    def release(self, number: int) -> None:
        del self.held[self.hashes.pop(number)]

    def __len__(self) -> int:
        return len(self.held)


class Ruleset:
    """One durable ruleset: its handle, its current session, asserting and draining.

    Every ruleset also holds the rule ``z0`` on a marker fact. durable leaves a new session's
    action context uninitialised and frees it when the session is deleted (state.c,
    deleteStateNode: a crash when the garbage is not NULL); running one action first sets it,
    so the marker is asserted and drained before every delete.

    Facts are never retracted. durable deletes a completed action's frame but leaves the
    frame's location in its facts, and marks it as still dispatching, so retracting a fact that
    fired walks freed frames and reads past them (events.c, handleDeleteMessage, and state.c,
    deleteMessageFromFrame; seen under valgrind). Pattern facts are released by deleting the
    session and asserting the live ones again (see PatternStage.rotate).
    """

    MARKER = "zz"

    def __init__(self, definition: Mapping[str, Any], keys: Iterable[str]) -> None:
        self.name = f"riskengine_{os.getpid()}_{next(_names)}"
        self.keys = frozenset(keys)
        full = {**definition, "z0": {"all": [{"m": {self.MARKER: 1}}]}}
        try:
            self.handle = _engine.create_ruleset(self.name, json.dumps(full))
        except _engine.error as error:
            raise fail("create a ruleset", error) from None
        self.open_session = False
        self._held: dict[int, Any] = {}  # id hash -> id, of every fact in the open session

    def assert_facts(self, facts: Sequence[Mapping[str, Any]], stats: MatchStats, hashes: Mapping[Any, int] | None = None) -> list[str]:
        """Assert into the session, then drain every pending action; returns the action
        messages (JSON text). ``hashes``: the ids' hashes where already known (``FactIds``)."""
        if not self.open_session:
            self.open_session = True
            stats.sessions_opened += 1
        return self._assert(facts, hashes)

    def _assert(self, facts: Sequence[Mapping[str, Any]], hashes: Mapping[Any, int] | None = None) -> list[str]:
        held = self._held
        known = (hashes or {}).get
        for fact in facts:
            fact_id = fact["id"]
            h = known(fact_id)
            if h is None:
                h = id_hash(fact_id)
            if h in held:
                raise EngineError(
                    f"fact id {fact_id} has the same durable-rules hash as {held[h]}, held in the same session: durable would drop it"
                )
            held[h] = fact_id
        try:
            code, state = _engine.assert_facts(self.handle, json.dumps(facts))
        except _engine.error as error:
            raise fail("assert facts", error) from None
        if code not in (OK, NOT_HANDLED):
            meaning = "saw a fact id twice in one session" if code == OBSERVED else "deferred the facts"
            raise EngineError(f"durable-rules {meaning} (result code {code}): a firing would be lost")
        return self._drain(state)

    def _drain(self, state: int) -> list[str]:
        """Every pending action message, in durable's order; each action is completed at once."""
        messages: list[str] = []
        try:
            started = _engine.start_action_for_state(self.handle, state)
            while started:
                messages.append(started[1])
                following = _engine.complete_and_start_action(self.handle, state)
                while following:
                    messages.append(following)
                    following = _engine.complete_and_start_action(self.handle, state)
                started = _engine.start_action(self.handle)
                if started:
                    state = started[2]
            if _engine.start_action(self.handle) is not None:
                raise EngineError("durable-rules still had actions pending after the drain")
        except _engine.error as error:
            raise fail("run the pending actions", error) from None
        return messages

    def delete_session(self) -> None:
        """Free the session and everything stored in it; the next assert opens a new one.

        One session at a time: durable lists sessions in an array it does not update when one
        is deleted (rete.c reverseStateIndex), so with two open, deleting one leaves the other
        unreachable and the next action search reads the deleted one (state.c, getNextResult).
        """
        if not self.open_session:
            return
        self._assert([{"id": MARKER_ID, self.MARKER: 1}])  # see the class docstring
        try:
            _engine.delete_state(self.handle, "0")
        except _engine.error as error:
            raise fail("delete a session", error) from None
        self.open_session = False
        self._held.clear()


def release(rulesets: list[Ruleset]) -> None:
    """Delete sessions, then rulesets: deleting a ruleset alone leaks its sessions' memory."""
    while rulesets:
        ruleset = rulesets.pop()
        with contextlib.suppress(EngineError):  # the ruleset goes anyway; nothing else can be freed
            ruleset.delete_session()
        with contextlib.suppress(_engine.error):
            _engine.delete_ruleset(ruleset.handle)


__all__ = ["RESERVED", "FactIds", "Ruleset", "fail", "id_hash", "release"]
