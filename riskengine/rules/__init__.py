"""Stage 2, rules: YAML rule packs are validated (``models``, ``loader``) and compiled
(``compiler``) to the engine-neutral form (``ir``) that every matcher reads.

Owns: the rule language, its error messages and the IR. May import ``core`` only; the engines
depend on the IR, never the other way round.
"""
