// Incidents as matching compares them, by id, with who may read each part (docs/
// cross-referencing.md): the record, each place, perpetrator and target through its
// relationship, and each target's name. Derived placements are left out.
// Each comprehension binds names of its own: FalkorDB lets them leak into the next one. The holder of an
// incident record is its owner.
// params: $ids: list[str]
// returns: 0..n rows {id, holder, kind, date, marking, places: list[{id, via}], actors: list[{id, via}], targets: list[{id, name, via, name_marking}]}
UNWIND $ids AS id
MATCH (i:Incident {id: id})
RETURN i.id AS id, i.owner AS holder, i.kind AS kind, i.date AS date, i {.acl, .owner, .tlp} AS marking,
       [(i)-[o:OCCURRED_IN]->(t:Territory) WHERE o.derived IS NULL
        | {id: t.id, via: [o {.acl, .owner, .tlp}, t {.acl, .owner, .tlp}]}] AS places,
       [(i)-[p:PERPETRATED_BY]->(a:Actor) | {id: a.id, via: [p {.acl, .owner, .tlp}, a {.acl, .owner, .tlp}]}] AS actors,
       [(i)-[g:TARGETED]->(d:Defender)
        | {id: d.id, name: d.name, via: [g {.acl, .owner, .tlp}, d {.acl, .owner, .tlp}],
           name_marking: {acl: d.name_acl, owner: d.owner, tlp: d.tlp}}] AS targets
