"""The part every cleaner's config shares: a switch for the step and for each of its rules."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class StepConfig:
    """Base of every cleaner's config: ``enabled`` turns the step off, ``disabled_rules`` single rules."""

    enabled: bool = True
    disabled_rules: tuple[str, ...] = ()

    def rule_on(self, rule: str) -> bool:
        """Is ``rule`` (a full code such as ``"tables:dash-separator"``) switched on?"""
        return self.enabled and rule not in self.disabled_rules
