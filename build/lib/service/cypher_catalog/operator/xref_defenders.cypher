// Defenders as matching compares them, by id, with who may read each part (docs/
// cross-referencing.md): the record, the name, each place through its OPERATES_IN. Placements
// derived from finer ones (`derived`) are left out: matching coarsens places itself. The holder
// of a defender record is its owner.
// params: $ids: list[str]
// returns: 0..n rows {id, holder, name, gender, country, identities, focus, marking, name_marking, places: list[{id, via}]}
UNWIND $ids AS id
MATCH (d:Defender {id: id})
RETURN d.id AS id, d.owner AS holder, d.name AS name, d.gender AS gender, d.country AS country,
       d.identities AS identities, d.focus AS focus, d {.acl, .owner, .tlp} AS marking,
       {acl: d.name_acl, owner: d.owner, tlp: d.tlp} AS name_marking,
       [(d)-[r:OPERATES_IN]->(t:Territory) WHERE r.derived IS NULL
        | {id: t.id, via: [r {.acl, .owner, .tlp}, t {.acl, .owner, .tlp}]}] AS places
