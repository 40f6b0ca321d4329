"""The weights and thresholds of the analytics: weights.yaml (or TEJIDO_WEIGHTS_FILE), checked."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import Field

from service.config import StrictSection, read_config_file

DEFAULT_WEIGHTS = Path(__file__).with_name("weights.yaml")


class ThreatWeights(StrictSection):
    severity: dict[int, float]
    half_life_days: float = Field(gt=0)
    unverified: float = Field(ge=0, le=1)
    organization_incident: float = Field(ge=0)
    hostile_control: float = Field(ge=0)
    hostile_dispute: float = Field(ge=0)
    impunity: float = Field(ge=0)


class VulnerabilityWeights(StrictSection):
    base: float = Field(gt=0)
    isolation: float = Field(ge=0)
    no_organization: float = Field(ge=0)
    double_risk: float = Field(ge=0)
    double_risk_identities: frozenset[str]
    land_defender: float = Field(ge=0)
    land_focus: frozenset[str]
    extractive_territory: float = Field(ge=0)
    extractive_resources: frozenset[str]


class CapacityWeights(StrictSection):
    base: float = Field(gt=0)
    support: float = Field(ge=0)
    solidarity: float = Field(ge=0)
    membership: float = Field(ge=0)
    protection_measure: float = Field(ge=0)


class RiskWeights(StrictSection):
    threats: ThreatWeights
    vulnerabilities: VulnerabilityWeights
    capacities: CapacityWeights
    levels: dict[str, float]


class ShadowPowerWeights(StrictSection):
    reach: float = Field(ge=0)
    brokerage: float = Field(ge=0)
    territory: float = Field(ge=0)
    incidents: float = Field(ge=0)
    distance_discount: float = Field(gt=0, le=1)
    max_hops: int = Field(ge=1, le=6)
    dispute: float = Field(ge=0)
    attribution: dict[str, float]


class PowerMapWeights(StrictSection):
    narrative_kinds: frozenset[str]
    narrative_incidents: frozenset[str]


class ProtectionGapWeights(StrictSection):
    grave_levels: frozenset[Literal["LOW", "MEDIUM", "HIGH", "CRITICAL"]]
    recent_days: int = Field(ge=1)


class Weights(StrictSection):
    risk: RiskWeights
    shadow_power: ShadowPowerWeights
    power_map: PowerMapWeights
    protection_gaps: ProtectionGapWeights


@cache
def load_weights(path: Path = DEFAULT_WEIGHTS) -> Weights:
    return read_config_file(path, Weights)
