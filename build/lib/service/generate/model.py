"""The generated world in memory: node records that refer to each other by list index.

Ids are given only when the files are written (see `output.py`), so records stay small and a
reference is an int. Relationships are mostly not kept here: `ties.py` streams them. A record's
attributes are named like its label's columns in service/model/schema.yaml (a reference
`parent_id` as `parent`): `output.py` writes the columns it finds.
"""

from dataclasses import dataclass, field


@dataclass(slots=True)
class Marks:
    """TLP marking, owner (organization index) and evidence of one record."""

    tlp: str = "GREEN"
    owner: int = -1
    shared: tuple[int, ...] = ()
    sources: tuple[int, ...] = ()


@dataclass(slots=True)
class Territory:
    name: str
    kind: str
    parent: int
    country: str
    region: int  # index of the region it lies in; -1 for a country
    lat: float
    lon: float
    resources: list[str]
    iso: str = ""
    heat: float = 1.0  # how contested the place is: drives actors and incidents
    marks: Marks = field(default_factory=Marks)


@dataclass(slots=True)
class Organization:
    name: str
    kind: str
    country: str
    region: int
    focus: tuple[str, ...]
    acronym: str
    xref_disclose: bool
    partners: tuple[int, ...] = ()  # organizations it shares AMBER records with
    marks: Marks = field(default_factory=Marks)


@dataclass(slots=True)
class Source:
    kind: str
    title: str
    url: str
    date: int  # date ordinal
    reliability: str
    credibility: str
    marks: Marks = field(default_factory=Marks)


@dataclass(slots=True)
class Actor:
    name: str
    sector: str
    kind: str
    country: str
    region: int
    home: int
    aliases: tuple[str, ...]
    public: bool
    resource: str = ""  # a corporation's business
    weight: float = 1.0  # power: grows with ties, drives perpetrator choice
    marks: Marks = field(default_factory=Marks)


@dataclass(slots=True)
class Defender:
    pseudonym: str
    name: str
    gender: str
    identities: tuple[str, ...]
    focus: tuple[str, ...]
    country: str
    home: int
    region: int
    isolated: bool
    status: str = "active"
    protection_measures: tuple[str, ...] = ()
    memberships: list[tuple[int, str]] = field(default_factory=list)  # (organization, role)
    incidents: list[int] = field(default_factory=list)
    gone: int = 0  # date ordinal from which the defender can no longer be attacked
    original: int = -1  # for a duplicate record: the true defender it describes
    marks: Marks = field(default_factory=Marks)


@dataclass(slots=True)
class Incident:
    kind: str
    date: int
    severity: int
    verified: bool | None
    description: str
    credibility: str
    territory: int
    defenders: list[int] = field(default_factory=list)
    organizations: list[int] = field(default_factory=list)
    perpetrators: list[tuple[int, str]] = field(default_factory=list)  # (actor, attribution)
    original: int = -1
    marks: Marks = field(default_factory=Marks)


@dataclass(slots=True)
class Case:
    reference: str
    holder: int
    opened: int
    status: str
    summary: str
    defenders: list[int]
    organizations: list[int]
    incidents: list[int]
    marks: Marks = field(default_factory=Marks)


@dataclass(slots=True)
class ActorTie:
    """A relationship between two actors, or from an actor to a territory or organization."""

    type: str
    source: int
    target: int
    prop: str = ""  # mode, degree, resource or amount, by type
    covert: bool = False


@dataclass(slots=True)
class World:
    territories: list[Territory] = field(default_factory=list)
    organizations: list[Organization] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)
    defenders: list[Defender] = field(default_factory=list)
    incidents: list[Incident] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    actor_ties: list[ActorTie] = field(default_factory=list)  # actor -> actor
    presence: list[ActorTie] = field(default_factory=list)  # actor -> territory
    actor_org_funds: list[ActorTie] = field(default_factory=list)  # actor -> organization
    # case, case, status, score, the organization that judged
    same_as: list[tuple[int, int, str, str, int]] = field(default_factory=list)
    truth: list[tuple[str, int, int]] = field(default_factory=list)  # label, index, index
