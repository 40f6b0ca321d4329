// Incidents as matching compares them, by id. The holder of an incident record is its owner.
// params: $ids: list[str]
// returns: 0..n rows {id, holder, kind, date, places, actors, targets}
UNWIND $ids AS id
MATCH (i:Incident {id: id})
RETURN i.id AS id, i.owner AS holder, i.kind AS kind, i.date AS date,
       [(i)-[:OCCURRED_IN]->(t:Territory) | t.id] AS places,
       [(i)-[:PERPETRATED_BY]->(a:Actor) | a.id] AS actors,
       [(i)-[:TARGETED]->(d:Defender) | d.name] AS targets
