"""Reading durable's action messages: which rule fired, and on which of our fact ids."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Sequence
from typing import Any

from riskengine.engine.durable.layout import MAX_LEGS

# Rules carry ``cap``: an action then takes every result pending for its rule (up to CAP) in one
# message, ``{"<rule>":[{"<alias>":<fact>,...},...]}``, aliases in the rule's order, each fact as
# we sent it with "id" first (state.c, serializeResult). One message per rule and assert instead
# of one per firing, and these patterns read only the rule and the ids. Every unescaped quote
# is structure in JSON, so a string value cannot fake an id or an alias: the ids are read in
# the order they come, and counting where each alias opens a fact checks that every result
# holds its legs in the rule's order. A message of another shape is decoded in full.
CAP = 60_000  # results per action message (durable stores it in 16 bits)
_HEAD = re.compile(r'\s*\{\s*"([a-z])(\d+)"\s*:\s*\[')
_ID = re.compile(r'\{"id": (-?\d+)[,}]')


def _decode_json(message: str) -> tuple[str, int, list[tuple[int, ...]]]:
    ((name, frames),) = json.loads(message).items()
    tuples = []
    for frame in frames if isinstance(frames, list) else [frames]:
        ordered = sorted(frame.items(), key=lambda item: int(item[0][1:] or 0))
        ids = [fact.get("id") for _, fact in ordered]
        if all(type(i) is int for i in ids):
            tuples.append(tuple(ids))
    return name[0], int(name[1:]), tuples


def decode(message: str, legs: int | Sequence[int]) -> tuple[str, int, list[tuple[int, ...]]]:
    """``(rule letter, rule number, fact ids of each result)`` of one action message. ``legs``
    is the number of facts per result, or a list giving it per rule number. Results on facts
    that are not ours (the session's own state object) are left out."""
    letter, rule, found = decode_mapped(message, legs, int)
    return letter, rule, found


def decode_mapped(message: str, legs: int | Sequence[int], to: Callable[[int], Any]) -> tuple[str, int, list[tuple[Any, ...]]]:
    """``decode``, each fact id given as ``to(id)`` (what the caller files it under), each
    id mapped by one C-level ``map`` instead of a tuple of ids mapped per result."""
    head = _HEAD.match(message)
    if head is not None:
        letter, rule = head.group(1), int(head.group(2))
        n = legs if isinstance(legs, int) else legs[rule] if 0 <= rule < len(legs) else 0
        ids = _ID.findall(message)
        if n >= 1 and ids and len(ids) % n == 0:
            results = len(ids) // n
            if all(message.count(opening) == results for opening in _openings(n)):
                mapped = map(int, ids) if to is int else map(to, map(int, ids))
                return letter, rule, list(zip(*[mapped] * n, strict=True))  # consecutive groups of n
    letter, rule, found = _decode_json(message)
    return letter, rule, found if to is int else [tuple(map(to, ids)) for ids in found]


@functools.lru_cache(maxsize=MAX_LEGS + 1)
def _openings(n: int) -> tuple[str, ...]:
    """How each leg's fact opens in a result: the first right after the result's brace."""
    if n == 1:
        return ('{"m":{"id": ',)
    return ('{"a0":{"id": ', *(f'}},"a{k}":{{"id": ' for k in range(1, n)))


__all__ = ["CAP", "decode", "decode_mapped"]
