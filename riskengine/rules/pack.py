"""A loaded rule pack: what the loader hands the compiler, the scorer and the briefs."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from riskengine.core.errors import Location
from riskengine.rules.models import Profile, Rule


@dataclass(frozen=True)
class RulePack:
    """Validated rules and profiles from a set of files, with where each came from.

    ``version`` is the first 12 hex digits of a sha256 over the files' bytes (sorted by path,
    each prefixed by its length): the same rules give the same version wherever they live.
    """

    rules: tuple[Rule, ...]
    origins: Mapping[str, Location]
    profiles: Mapping[str, Profile]
    profile_origins: Mapping[str, Location] = field(default_factory=dict)
    files: tuple[str, ...] = ()
    version: str = ""

    def origin(self, rule_id: str) -> Location:
        return self.origins[rule_id]

    @property
    def enabled_rules(self) -> tuple[Rule, ...]:
        return tuple(rule for rule in self.rules if rule.enabled)

    @property
    def pattern_count(self) -> int:
        return sum(1 for rule in self.rules if rule.is_pattern)

    def with_regions_of_interest(self, regions: Sequence[str]) -> RulePack:
        """The pack with every profile watching ``regions`` (ISO3 codes) instead of its own: an
        NGO in Sudan reads the bundled packs without editing profiles.yaml. Scores do not depend
        on the regions (only which actions a brief lists first, and what its map outlines), so
        the version, which calibration files are checked against, stays."""
        chosen = sorted(set(regions))
        profiles = {name: profile.model_copy(update={"regions_of_interest": chosen}) for name, profile in self.profiles.items()}
        return replace(self, profiles=profiles)


__all__ = ["RulePack"]
