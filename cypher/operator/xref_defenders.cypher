// Defenders as matching compares them, by id. The holder of a defender record is its owner.
// params: $ids: list[str]
// returns: 0..n rows {id, holder, name, pseudonym, gender, country, identities, focus, places}
UNWIND $ids AS id
MATCH (d:Defender {id: id})
RETURN d.id AS id, d.owner AS holder, d.name AS name, d.pseudonym AS pseudonym,
       d.gender AS gender, d.country AS country, d.identities AS identities, d.focus AS focus,
       [(d)-[:OPERATES_IN]->(t:Territory) | t.id] AS places
