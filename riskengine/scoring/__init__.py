"""Stage 4, scoring: firings become contributions, saturated scores per stakeholder, dimension
and region, and weekly series over history.

Owns: the scoring formulas and report models (``scores``), facts for the matcher (``facts``),
a firing as contributions (``contributions``), the one scorer every verb uses (``scorer``), the
streaming reader with its external sort (``reader``), the run over a stream in one process or
several (``stream``, ``parallel``), and on top a window's report (``pipeline``: score, brief,
explain) and the weekly series (``backtest``). May import ``core``, ``ingest``, ``rules`` and
``engine``; never ``riskengine.api`` (callers pass rule packs in).
"""

from riskengine.scoring.scores import Contribution, ScoreReport, StakeholderScore

__all__ = ["Contribution", "ScoreReport", "StakeholderScore"]
