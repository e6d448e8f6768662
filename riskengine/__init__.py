"""riskengine: conflict events in, explainable stakeholder risk scores and weekly briefs out."""

from riskengine.core.errors import (
    EngineError,
    EngineLimitError,
    EventError,
    InputError,
    Issue,
    Location,
    RiskEngineError,
    RuleError,
    TemplateError,
)
from riskengine.core.events import Event, FigureClaim, Source

__version__ = "0.1.0"

__all__ = [
    "EngineError",
    "EngineLimitError",
    "Event",
    "EventError",
    "FigureClaim",
    "InputError",
    "Issue",
    "Location",
    "RiskEngineError",
    "RuleError",
    "Source",
    "TemplateError",
    "__version__",
]
