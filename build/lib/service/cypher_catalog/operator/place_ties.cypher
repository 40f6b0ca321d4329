// The ties that place the given records at territories ($types: the model's `places` types,
// derived ones left out): with their marking, the name access of the defenders each would
// place (the defender itself, or those an incident targeted), the kind of the place, the
// regions and countries above it. Input of service/placement.py, which decides who may read
// each.
// params: $ids: list[str], $types: list[str]
// returns: 0..n rows {id, type, from, from_label, to, kind, tlp, owner, shared_with, sources, confidence, credibility, corroboration, valid_from, valid_to, names: list[list[str]], coarse: list[map]}
UNWIND $ids AS id
MATCH (n:Record {id: id})-[r]->(t:Territory)
WHERE type(r) IN $types AND r.derived IS NULL
RETURN r.id AS id, type(r) AS type, n.id AS from,
       [l IN labels(n) WHERE l <> 'Record'][0] AS from_label, t.id AS to, t.kind AS kind,
       r.tlp AS tlp, r.owner AS owner, r.shared_with AS shared_with, r.sources AS sources,
       r.confidence AS confidence, r.credibility AS credibility,
       r.corroboration AS corroboration, r.valid_from AS valid_from, r.valid_to AS valid_to,
       CASE
         WHEN n:Defender THEN [n.name_acl]
         WHEN n:Incident THEN [(n)-[:TARGETED]->(d:Defender) | d.name_acl]
         ELSE []
       END AS names,
       [(t)-[:PART_OF*1..8]->(up:Territory) WHERE up.kind IN ['region', 'country']
        | {id: up.id, kind: up.kind}] AS coarse
