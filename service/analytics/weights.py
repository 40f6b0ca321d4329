"""The weights of the scores, read from weights.yaml (or TEJIDO_WEIGHTS_FILE) and checked."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from service.errors import ConfigError

DEFAULT_WEIGHTS = Path(__file__).with_name("weights.yaml")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ThreatWeights(_Strict):
    severity: dict[int, float]
    half_life_days: float = Field(gt=0)
    unverified: float = Field(ge=0, le=1)
    organization_incident: float = Field(ge=0)
    hostile_control: float = Field(ge=0)
    hostile_dispute: float = Field(ge=0)
    impunity: float = Field(ge=0)


class VulnerabilityWeights(_Strict):
    base: float = Field(gt=0)
    isolation: float = Field(ge=0)
    no_organization: float = Field(ge=0)
    double_risk: float = Field(ge=0)
    double_risk_identities: frozenset[str]
    land_defender: float = Field(ge=0)
    land_focus: frozenset[str]
    extractive_territory: float = Field(ge=0)
    extractive_resources: frozenset[str]


class CapacityWeights(_Strict):
    base: float = Field(gt=0)
    support: float = Field(ge=0)
    solidarity: float = Field(ge=0)
    membership: float = Field(ge=0)
    protection_measure: float = Field(ge=0)


class RiskWeights(_Strict):
    threats: ThreatWeights
    vulnerabilities: VulnerabilityWeights
    capacities: CapacityWeights
    levels: dict[str, float]


class ShadowPowerWeights(_Strict):
    reach: float = Field(ge=0)
    brokerage: float = Field(ge=0)
    territory: float = Field(ge=0)
    incidents: float = Field(ge=0)
    distance_discount: float = Field(gt=0, le=1)
    max_hops: int = Field(ge=1, le=6)
    dispute: float = Field(ge=0)
    attribution: dict[str, float]


class Weights(_Strict):
    risk: RiskWeights
    shadow_power: ShadowPowerWeights


@cache
def load_weights(path: Path = DEFAULT_WEIGHTS) -> Weights:
    try:
        return Weights.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (OSError, yaml.YAMLError, ValidationError) as exc:
        raise ConfigError(f"{path}: not valid weights: {exc}") from exc
