// The case files that concern or document one of the given records, as xref_cases returns them.
// params: $about: list[str]
// returns: 0..n rows {id, holder, owner, opened, defenders, names, places, incidents}
UNWIND $about AS id
MATCH (r:Record {id: id})<-[:CONCERNS|DOCUMENTS]-(c:Case)
WITH DISTINCT c
WITH c, [(c)-[:CONCERNS]->(d:Defender) | d] AS concerned
RETURN c.id AS id, [(c)-[:HELD_BY]->(o:Organization) | o.id][0] AS holder, c.owner AS owner,
       c.opened AS opened,
       [d IN concerned | d.id] AS defenders,
       [d IN concerned | d.name] AS names,
       [(c)-[:CONCERNS]->(:Defender)-[:OPERATES_IN]->(t:Territory) | t.id] AS places,
       [(c)-[:DOCUMENTS]->(i:Incident) | i.id] AS incidents
