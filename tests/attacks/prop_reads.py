"""Every read the API offers, asked through GraphQL by one viewer of one random graph, and each
answer checked against the test's own reading of the rules (attacks/prop_oracle.py).

Checks on every answer: each id anywhere in it (walking the JSON) is one the viewer may see;
no word of a name the viewer may not see appears; no pseudonymous defender is placed finer than
a region, whether by a link, an incident that targeted it, an analytics answer about a
municipality or community, a count by place or risk evidence. Lists: totals equal what the
viewer may see. Cross-references: only the viewer's own records, never a comparison of a name or
place it may not see. The audit log: only ids the admin may see, only real reads, the server's
name for the operation.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx

from tests.attacks.prop_oracle import Oracle

# A whole id, not the start of a longer word (a derived stand-in's id, `rel-s<hex>`, names no
# record of the graph and is not one).
ID = re.compile(r"(?<![\w-])((?:act|def|org|ter|inc|case|src|rel)-\d+)(?![\w-])(:[A-Z_]+)?")
FORGED_OPERATION = "ForgedOperationName"  # every request claims it; the audit must not repeat it
LISTS = {
    "actors": "Actor",
    "defenders": "Defender",
    "organizations": "Organization",
    "territories": "Territory",
    "incidents": "Incident",
    "cases": "Case",
    "sources": "Source",
}
MISSING = "missing (not a leak, but the test's reading of the rules and the service's differ)"
PAGE = 5  # small pages, so every list is walked through its cursors
NODE = """... on Node {
  id label name tlp owner sharedWith sources
  ... on Defender { pseudonym country }
  ... on Territory { kind }
}"""  # spread on Node, so that it also fits where a list names its concrete type
OTHER = "other { id label name ... on Territory { kind } ... on Defender { pseudonym } }"
LINKS = f"links(first: 50) {{ totalCount pageInfo {{ hasNextPage }} edges {{ cursor node {{ id type direction sources owner tlp {OTHER} }} }} }}"
RISK = "score level threats vulnerabilities capacities factors { name value weight evidence } defender { id name pseudonym }"
ANALYTICS = {  # name -> selection; each asked for the whole graph and for every territory
    "atRiskDefenders": f"{{ {RISK} }}",
    "protectionGaps": f"{{ defenders {{ {RISK} }} territories {{ recentIncidents lastIncident territory {{ id kind name }} }} }}",
    "shadowPower": "{ rank score covertReach brokerage territorialControl attributedIncidents evidence { actors ties strength } actor { id name } }",
    "collusionNetwork": "{ nodes { id label name group score } edges { id source target type confidence } brokers }",
    "powerMap": "{ actors { power reasons actor { id name } } ties { id source target type } incidentCounts { year kind count } defenders { id name pseudonym } organizations { id name } }",
}
PAGED_ANALYTICS = {"atRiskDefenders", "protectionGaps", "shadowPower"}
PLACE_FREE = {"shadowPower", "collusionNetwork"}
FIELDS_COVERED = sorted(
    [
        "node",
        "counts",
        "search",
        "crossReferences",
        "auditLog",
        "influencePaths",
        *LISTS,
        "incidents(filter: {territory})",
        "Node.links",
        "Case.alsoHeldBy",
        *ANALYTICS,
    ]
)


@dataclass
class Findings:
    """What leaked, grouped by kind and by channel (the message with its ids and numbers taken
    out), each line naming example, viewer, field and id."""

    by_kind: dict[str, dict[str, list[str]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(list))
    )
    stats: Counter[str] = field(default_factory=Counter)

    def add(self, kind: str, who: str, message: str) -> None:
        self.by_kind[kind][channel(message)].append(f"{who}: {message}")

    def __bool__(self) -> bool:
        """Any leak; a record the viewer may see but was not shown is reported, not failed."""
        return any(kind != MISSING for kind in self.by_kind)

    def report(self, channels: int = 12) -> str:
        lines = []
        for kind, by_channel in sorted(self.by_kind.items()):
            total = sum(len(set(m)) for m in by_channel.values())
            lines.append(f"== {kind}: {total} findings through {len(by_channel)} channels")
            ranked = sorted(by_channel.items(), key=lambda item: -len(item[1]))
            for _, messages in ranked[:channels]:
                lines.append(f"   {len(set(messages))} x {messages[0]}")
        return "\n".join(lines)


def channel(message: str) -> str:
    """A finding without its particulars, so that one line stands for all of its kind."""
    text = re.sub(r" \([^()]*\)$", "", message)
    text = ID.sub("<id>", text)
    text = re.sub(r"'[^']*'", "'…'", text)
    text = re.sub(r"\b[0-9a-f]{12,}\b", "<hash>", text)
    return re.sub(r"\d+", "<n>", text)


def walk(value: Any, path: str) -> Iterator[tuple[str, str]]:
    """Every string in a JSON value, with where it is."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from walk(v, f"{path}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from walk(v, f"{path}[{i}]")


class ViewerReads:
    """One viewer's run through every read, and what its answers revealed taken together."""

    def __init__(
        self, http: httpx.AsyncClient, key: str, oracle: Oracle, findings: Findings, who: str
    ) -> None:
        self.http, self.key, self.o, self.f, self.who = http, key, oracle, findings, who
        # What the answers revealed: (defender, fine territory, how) and incident facts.
        self.placed: list[tuple[str, str, str]] = []
        self.targeted: dict[str, set[str]] = defaultdict(set)
        self.occurred: dict[str, list[tuple[str, str]]] = defaultdict(list)

    def leak(self, kind: str, message: str) -> None:
        self.f.add(kind, self.who, message)

    # -- transport -------------------------------------------------------------------------

    async def ask(self, fields: dict[str, tuple[str, str]]) -> dict[str, Any]:
        """One request with aliased fields {alias: (selection, what it asks)}: its data, after
        checking every id and name in it and reporting errors."""
        selection = "\n".join(f"{alias}: {text}" for alias, (text, _) in fields.items())
        query = f"query {FORGED_OPERATION} {{\n{selection}\n}}"
        body = await self.post(query)
        for error in body.get("errors") or []:
            code = (error.get("extensions") or {}).get("code")
            where = fields.get(str((error.get("path") or ["?"])[0]), ("", "?"))[1]
            self.f.stats[f"error {code}"] += 1
            # None of these reads should fail; one that does is a read left unchecked.
            kind = "server error" if code in (None, "INTERNAL") else "read refused (unchecked)"
            self.leak(kind, f"{where}: {code}: {error.get('message')}")
        data: dict[str, Any] = body.get("data") or {}
        for alias, value in data.items():
            self.check_strings(value, fields[alias][1])
        return data

    async def post(self, query: str) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {self.key}"}
        payload = {"query": query, "operationName": FORGED_OPERATION}
        for _ in range(20):
            response = await self.http.post("/graphql", json=payload, headers=headers)
            self.f.stats["requests"] += 1
            if response.status_code != 429:  # a rate limit is not what this test is about
                break
            await asyncio.sleep(min(float(response.headers.get("retry-after", "1")), 2.0))
        if response.status_code != 200:
            self.leak("server error", f"HTTP {response.status_code}: {response.text[:300]}")
            return {}
        body: dict[str, Any] = response.json()
        return body

    # -- checks on any answer --------------------------------------------------------------

    def check_strings(self, value: Any, where: str) -> None:
        for path, text in walk(value, where):
            named = set()
            for match in ID.finditer(text):
                self.check_id(match.group(0), match.group(1), path)
                named.add(match.group(1))
            for defender in named & self.o.pseudonymous:  # e.g. an id made of both
                for place in sorted(
                    t
                    for t in named
                    if t in self.o.g.records and self.o.g.records[t].label == "Territory"
                ):
                    self.place(defender, place, f"{path} = {text!r}")
            lowered = text.lower()
            for word, defender in self.o.hidden_name_words.items():
                if word.lower() in lowered:
                    self.leak(
                        "hidden defender name", f"{path} shows {word!r}, the name of {defender}"
                    )

    def check_id(self, full: str, base: str, path: str) -> None:
        known = self.o.g.records.keys() | self.o.g.relations.keys()
        shown = full if full in known else base  # a derived link's id names its record
        if shown not in known:
            self.leak("unknown id", f"{path} shows {full!r}, no record of the graph")
        elif not self.o.sees(shown):
            self.leak("hidden id", f"{path} shows {shown} ({self.describe(shown)})")

    def describe(self, any_id: str) -> str:
        record = self.o.g.records.get(any_id)
        if record:
            m = record.marking
            return f"{record.label} {m.tlp} owner {m.owner} shared {list(m.shared)}"
        rel = self.o.g.relations[any_id]
        return f"{rel.type} {rel.src}->{rel.dst} {rel.marking.tlp} owner {rel.marking.owner}"

    def edge(self, kind: str, a: str | None, b: str | None, how: str) -> None:
        """A relationship the viewer learnt of: remember what it says about places."""
        if not a or not b or a not in self.o.g.records or b not in self.o.g.records:
            return
        label = {self.o.g.records[x].label: x for x in (a, b)}
        self.f.stats[f"{kind} facts seen"] += 1
        if kind == "OPERATES_IN" and {"Defender", "Territory"} <= label.keys():
            self.place(label["Defender"], label["Territory"], how)
        elif kind == "TARGETED" and {"Incident", "Defender"} <= label.keys():
            self.targeted[label["Incident"]].add(label["Defender"])
        elif kind == "OCCURRED_IN" and {"Incident", "Territory"} <= label.keys():
            self.occurred[label["Incident"]].append((label["Territory"], how))

    def place(self, defender: str, territory: str, how: str) -> None:
        if defender in self.o.pseudonymous and self.o.g.is_fine(territory):
            self.placed.append((defender, territory, how))

    # -- the reads -------------------------------------------------------------------------

    async def run(self) -> None:
        for step in (
            self.counts_and_lists,
            self.records_by_id,
            self.incidents_by_place,
            self.searches,
            self.analytics,
            self.influence_paths,
            self.cross_references,
        ):
            started = time.perf_counter()
            await step()
            self.f.stats[f"ms in {step.__name__}"] += int(1000 * (time.perf_counter() - started))
        self.check_places()

    async def counts_and_lists(self) -> None:
        data = await self.ask({"counts": ("counts { label count }", "counts")})
        counted = {row["label"]: row["count"] for row in data.get("counts") or []}
        for label in LISTS.values():
            expected = len(self.o.visible(label))
            if counted.get(label, 0) != expected:
                kind = "count" if counted.get(label, 0) > expected else MISSING
                self.leak(
                    kind, f"counts says {counted.get(label, 0)} {label}, it may see {expected}"
                )
        seen: dict[str, list[str]] = {name: [] for name in LISTS}
        totals: dict[str, int] = {}
        after: dict[str, str | None] = dict.fromkeys(LISTS)
        while after:
            fields = {}
            for name, cursor in after.items():
                arg = f', after: "{cursor}"' if cursor else ""
                text = f"{name}(first: {PAGE}{arg}) {{ totalCount pageInfo {{ hasNextPage endCursor }} edges {{ cursor node {{ {NODE} }} }} }}"
                fields[name] = (text, f"{name}(after: {cursor})")
            data = await self.ask(fields)
            after = {}
            for name in fields:
                page = data.get(name)
                if not page:
                    continue
                totals[name] = page["totalCount"]
                seen[name] += [e["node"]["id"] for e in page["edges"]]
                if page["pageInfo"]["hasNextPage"] and len(seen[name]) < 200:
                    after[name] = page["pageInfo"]["endCursor"]
        for name, label in LISTS.items():
            visible = self.o.visible(label)
            if totals.get(name) != len(visible):
                kind = "count" if totals.get(name, 0) > len(visible) else MISSING
                self.leak(
                    kind, f"{name}.totalCount is {totals.get(name)}, it may see {len(visible)}"
                )
            if missing := visible - set(seen[name]):
                self.leak(MISSING, f"{name} pages never list {sorted(missing)}")
            if len(seen[name]) != len(set(seen[name])):
                self.leak(MISSING, f"{name} pages repeat records: {seen[name]}")

    async def records_by_id(self) -> None:
        """`node` for every record of the graph, hidden or not, with its links."""
        ids = sorted(self.o.g.records)
        for start in range(0, len(ids), 20):
            chunk = ids[start : start + 20]
            fields = {
                f"n{i}": (
                    f'node(id: "{rid}") {{ {NODE} {LINKS} ... on Case {{ alsoHeldBy {{ id name score }} }} }}',
                    f"node({rid})",
                )
                for i, rid in enumerate(chunk)
            }
            data = await self.ask(fields)
            for i, rid in enumerate(chunk):
                record = data.get(f"n{i}")
                if record is None:
                    continue
                links = record["links"]
                if not links["pageInfo"]["hasNextPage"] and links["totalCount"] != len(
                    links["edges"]
                ):
                    self.leak(
                        "count",
                        f"node({rid}).links.totalCount is {links['totalCount']} "
                        f"but it lists {len(links['edges'])}",
                    )
                for edge in links["edges"]:
                    link = edge["node"]
                    other = (link.get("other") or {}).get("id")
                    self.edge(link["type"], rid, other, f"node({rid}).links {link['id']}")

    async def incidents_by_place(self) -> None:
        territories = sorted(self.o.visible("Territory"))
        fields = {
            f"i{i}": (
                f'incidents(filter: {{territory: "{t}"}}, first: 50) {{ totalCount edges {{ node {{ id }} }} }}',
                f"incidents(territory: {t})",
            )
            for i, t in enumerate(territories)
        }
        data = await self.ask(fields)
        for i, t in enumerate(territories):
            for edge in (data.get(f"i{i}") or {}).get("edges", []):
                self.occurred[edge["node"]["id"]].append((t, f"incidents(territory: {t})"))

    async def searches(self) -> None:
        # Each defender's surname (a guess at a name it may not see), one pseudonym, one actor.
        words = {d.row["name"].split()[-1] for d in self.o.g.of("Defender")}
        words |= {d.row["pseudonym"].split()[-1] for d in self.o.g.of("Defender")[:1]}
        words |= {a.row["name"].split()[-1] for a in self.o.g.of("Actor")[:1]}
        aliases = {f"s{i}": w for i, w in enumerate(sorted(words))}
        fields = {
            alias: (f'search(text: "{w}", first: 20) {{ {NODE} }}', f"search({w!r})")
            for alias, w in aliases.items()
        }
        data = await self.ask(fields)
        for alias, word in aliases.items():
            for hit in data.get(alias) or []:
                record = self.o.g.records.get(hit["id"])
                if (
                    record
                    and record.id in self.o.pseudonymous
                    and word in record.row["name"].split()
                ):
                    self.leak(
                        "search oracle",
                        f"search({word!r}) finds {record.id}, whose name it may not see",
                    )

    async def analytics(self) -> None:
        """Each analytics field for the whole graph, a region and a village; those that list
        defenders or count incidents by place also for every municipality and community."""
        visible = sorted(self.o.visible("Territory"))
        fine = [t for t in visible if self.o.g.is_fine(t)]
        regions = [t for t in visible if self.o.g.territory_kind(t) == "region"]
        plan: dict[str | None, set[str]] = {None: set(ANALYTICS) - {"powerMap"}}
        for t in regions[:1] + fine[-1:]:
            plan[t] = set(ANALYTICS)
        for t in fine:
            plan.setdefault(t, set(ANALYTICS) - PLACE_FREE)
        places = list(plan)
        for start in range(0, len(places), 6):
            fields = {}
            for j, t in enumerate(places[start : start + 6]):
                for name in sorted(plan[t]):
                    args = [f'territory: "{t}"'] if t else []
                    args += ["first: 20"] if name in PAGED_ANALYTICS else []
                    call = f"{name}({', '.join(args)})" if args else name
                    fields[f"{name}_{j}"] = (f"{call} {ANALYTICS[name]}", f"{name}({t or ''})")
            data = await self.ask(fields)
            for j, t in enumerate(places[start : start + 6]):
                self.check_analytics(t, {name: data.get(f"{name}_{j}") for name in ANALYTICS})

    def check_analytics(self, territory: str | None, answers: dict[str, Any]) -> None:
        where = f"({territory})" if territory else "()"
        risks = list(answers["atRiskDefenders"] or [])
        gaps = answers["protectionGaps"] or {}
        risks += gaps.get("defenders") or []
        power = answers["powerMap"] or {}
        listed = {
            "atRiskDefenders": [r.get("defender") for r in answers["atRiskDefenders"] or []],
            "protectionGaps.defenders": [r.get("defender") for r in gaps.get("defenders") or []],
            "powerMap.defenders": power.get("defenders") or [],
        }
        for name, defenders in listed.items():
            for defender in defenders:
                if territory and defender:
                    self.place(
                        defender["id"], territory, f"being listed in {name}(territory: {territory})"
                    )
        for risk in risks:
            self.check_risk_evidence(risk, where)
        if territory:
            self.check_counts(territory, power.get("incidentCounts") or [])
        for gap in gaps.get("territories") or []:
            place = (gap.get("territory") or {}).get("id")
            if place in self.o.g.records:
                allowed = self.o.countable_incidents(place)
                if gap["recentIncidents"] > len(allowed):
                    self.leak(
                        "count by place",
                        f"protectionGaps{where}: {place} has recentIncidents "
                        f"{gap['recentIncidents']}, at most {len(allowed)} may count",
                    )
        for edge in (power.get("ties") or []) + (
            (answers["collusionNetwork"] or {}).get("edges") or []
        ):
            self.edge(
                edge["type"], edge["source"], edge["target"], f"analytics{where} edge {edge['id']}"
            )

    def check_risk_evidence(self, risk: dict[str, Any], where: str) -> None:
        defender = (risk.get("defender") or {}).get("id")
        if defender not in self.o.pseudonymous:
            return
        for factor in risk["factors"]:
            for evidence in factor["evidence"]:
                record = self.o.g.records.get(evidence)
                if record is None:
                    continue
                if record.label == "Territory" and self.o.g.is_fine(evidence):
                    self.leak(
                        "fine place of a pseudonym",
                        f"risk{where} of {defender}: factor "
                        f"{factor['name']} cites {record.kind} {evidence}",
                    )
                if record.label == "Actor" and (
                    only := self.o.place_only_through(evidence, defender)
                ):
                    self.leak(
                        "fine place of a pseudonym",
                        f"risk{where} of {defender}: factor "
                        f"{factor['name']} cites {evidence}, tied only to its village(s) {only}",
                    )

    def check_counts(self, territory: str, rows: list[dict[str, Any]]) -> None:
        allowed = Counter(
            (self.o.g.records[i].row["date"][:4], self.o.g.records[i].row["kind"])
            for i in self.o.countable_incidents(territory)
        )
        for row in rows:
            most = allowed[(row["year"], row["kind"])]
            if row["count"] > most:
                self.leak(
                    "count by place",
                    f"powerMap({territory}).incidentCounts counts {row['count']} "
                    f"{row['kind']} in {row['year']}, at most {most} may count",
                )

    async def influence_paths(self) -> None:
        defenders = sorted(self.o.visible("Defender"))
        ends = (
            sorted(self.o.visible("Actor"))[:2]
            + sorted(t for t in self.o.visible("Territory") if self.o.g.is_fine(t))[:2]
        )
        pairs = [(d, e) for d in defenders[:2] for e in ends][:5]
        pairs.append((sorted(self.o.g.records)[0], sorted(self.o.g.records)[-1]))
        hop_end = "{ id label name ... on Territory { kind } }"
        fields = {
            f"p{i}": (
                f'influencePaths(from: "{a}", to: "{b}", maxHops: 3, first: 3) {{ strength hops {{ id type confidence sources from {hop_end} to {hop_end} }} }}',
                f"influencePaths({a}, {b})",
            )
            for i, (a, b) in enumerate(pairs)
        }
        data = await self.ask(fields)
        for alias, (_, what) in fields.items():
            for path in data.get(alias) or []:
                for hop in path["hops"]:
                    ends_ = [(hop.get(k) or {}).get("id") for k in ("from", "to")]
                    self.edge(hop["type"], *ends_, f"{what} hop {hop['id']}")

    async def cross_references(self) -> None:
        text = (
            "crossReferences(first: 50, status: [PROPOSED, CONFIRMED, REJECTED]) { totalCount "
            "edges { node { id label score status confirmedBy holder { id name score } "
            f"explanation {{ field similarity weight }} record {{ {NODE} }} other {{ {NODE} }} }} }} }}"
        )
        data = await self.ask({"x": (text, "crossReferences")})
        for edge in (data.get("x") or {}).get("edges", []):
            match = edge["node"]
            self.f.stats["cross-references listed"] += 1
            mine = (match.get("record") or {}).get("id")
            other = (match.get("other") or {}).get("id")
            if mine is None:
                self.leak(
                    "cross-reference", f"match {match['id'][:12]} lists no record of the viewer's"
                )
            elif self.o.legitimate_holder(mine) != self.o.v.org:
                self.leak(
                    "cross-reference",
                    f"match on {mine}, held by {self.o.legitimate_holder(mine)}, "
                    f"is listed to {self.o.v.org} (score {match['score']})",
                )
            if other is None and match.get("explanation"):
                self.leak("cross-reference", f"match of {mine} explains a record it may not open")
            compared = {a["field"] for a in match.get("explanation") or []}
            if other in self.o.pseudonymous and "name" in compared:
                self.leak(
                    "cross-reference",
                    f"match of {mine} with pseudonymous {other} compares its name",
                )

    async def audit_log(self, key_owners: dict[str, Oracle]) -> None:
        """An admin's audit log, after everyone's reads: only ids it may see, only records that
        were returned to the key that read them, and the server's name for the operation."""
        after: str | None = None
        for _ in range(30):
            arg = f', after: "{after}"' if after else ""
            text = f"auditLog(first: 50{arg}) {{ totalCount pageInfo {{ hasNextPage endCursor }} edges {{ node {{ id at keyId organization operation ids }} }} }}"
            data = await self.ask({"a": (text, "auditLog")})
            page = data.get("a") or {}
            for edge in page.get("edges", []):
                entry = edge["node"]
                self.f.stats["audit entries read"] += 1
                if FORGED_OPERATION in entry["operation"]:
                    self.leak(
                        "audit",
                        f"auditLog entry {entry['id']} records the client's operation name {entry['operation']!r}",
                    )
                reader = key_owners.get(entry["keyId"])
                for rid in entry["ids"]:
                    if reader and rid in reader.g.records and not reader.sees(rid):
                        self.leak(
                            "audit",
                            f"auditLog entry {entry['id']} logs a read of {rid} by "
                            f"{reader.v}, which may not see it",
                        )
            if not page.get("pageInfo", {}).get("hasNextPage"):
                break
            after = page["pageInfo"]["endCursor"]

    def check_places(self) -> None:
        """Taken together, did the answers place a pseudonym finer than a region?"""
        for defender, territory, how in self.placed:
            self.leak(
                "fine place of a pseudonym",
                f"{defender} placed in {self.o.g.territory_kind(territory)} {territory} by {how}",
            )
        for incident, defenders in self.targeted.items():
            for defender in defenders & self.o.pseudonymous:
                for territory, how in self.occurred.get(incident, []):
                    if self.o.g.is_fine(territory):
                        self.leak(
                            "fine place of a pseudonym",
                            f"{defender} placed in "
                            f"{self.o.g.territory_kind(territory)} {territory} through "
                            f"{incident}, which targeted it, by {how}",
                        )
