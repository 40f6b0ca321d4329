// Defenders as matching compares them: given ids, or those of some countries, or (both lists
// empty) all. The holder of a defender record is its owner.
// params: $ids: list[str], $countries: list[str]
// returns: 0..n rows {id, holder, name, pseudonym, gender, country, identities, focus, places}
MATCH (d:Defender)
WHERE (size($ids) = 0 OR d.id IN $ids)
  AND (size($countries) = 0 OR d.country IN $countries)
RETURN d.id AS id, d.owner AS holder, d.name AS name, d.pseudonym AS pseudonym,
       d.gender AS gender, d.country AS country, d.identities AS identities, d.focus AS focus,
       [(d)-[:OPERATES_IN]->(t:Territory) | t.id] AS places
