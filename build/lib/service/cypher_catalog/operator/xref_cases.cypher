// Case files as matching compares them, by id, with who may read each part (docs/
// cross-referencing.md): the defenders they concern (names, places), the incidents they
// document and which of those targeted which defender, each through its relationship. The
// holder is the organization the case is HELD_BY on $today, by a HELD_BY that the case's own
// owner wrote (anyone else's names no holder); null when there is none (the owner holds it).
// Each comprehension binds names of its own: FalkorDB lets them leak into the next one.
// params: $ids: list[str], $today: str
// returns: 0..n rows {id, holder, owner, opened, marking, concerned: list[{id, name, via, name_marking}], places: list[{defender, id, via}], documented: list[{id, via}], targeted: list[{incident, defender, via}]}
UNWIND $ids AS id
MATCH (c:Case {id: id})
RETURN c.id AS id, c.owner AS owner, c.opened AS opened, c {.acl, .owner, .tlp} AS marking,
       [(c)-[h:HELD_BY]->(o:Organization)
        WHERE h.owner = c.owner
          AND (h.valid_from IS NULL OR h.valid_from <= $today)
          AND (h.valid_to IS NULL OR h.valid_to >= $today) | o.id][0] AS holder,
       [(c)-[cn:CONCERNS]->(d:Defender)
        | {id: d.id, name: d.name, via: [cn {.acl, .owner, .tlp}, d {.acl, .owner, .tlp}],
           name_marking: {acl: d.name_acl, owner: d.owner, tlp: d.tlp}}] AS concerned,
       [(c)-[:CONCERNS]->(pd:Defender)-[op:OPERATES_IN]->(t:Territory) WHERE op.derived IS NULL
        | {defender: pd.id, id: t.id, via: [op {.acl, .owner, .tlp}, t {.acl, .owner, .tlp}]}] AS places,
       [(c)-[dc:DOCUMENTS]->(i:Incident) | {id: i.id, via: [dc {.acl, .owner, .tlp}, i {.acl, .owner, .tlp}]}] AS documented,
       [(c)-[:DOCUMENTS]->(ti:Incident)-[tg:TARGETED]->(td:Defender)
        | {incident: ti.id, defender: td.id, via: [tg {.acl, .owner, .tlp}]}] AS targeted
