"""Stage 4, scoring: firings become contributions, saturated scores per stakeholder, dimension
and region, and weekly series over history.

Owns: the scoring formulas and report models (``scores``), the pipeline from events to a report
(``pipeline``), the backtest over long histories (``backtest``, ``parallel``). May import
``core``, ``ingest``, ``rules`` and ``engine``.
"""

from riskengine.scoring.scores import Contribution, ScoreReport, StakeholderScore

__all__ = ["Contribution", "ScoreReport", "StakeholderScore"]
