// Case files as matching compares them, by id: with the names and places of the defenders they
// concern (and how many of the documented incidents targeted each) and the incidents they
// document. The holder is the organization the case is HELD_BY.
// params: $ids: list[str]
// returns: 0..n rows {id, holder, owner, opened, defenders, names, attacks, places, incidents}
UNWIND $ids AS id
MATCH (c:Case {id: id})
WITH c, [(c)-[:CONCERNS]->(d:Defender) | d] AS concerned,
     [(c)-[:DOCUMENTS]->(:Incident)-[:TARGETED]->(t:Defender) | t.id] AS targeted
RETURN c.id AS id, [(c)-[:HELD_BY]->(o:Organization) | o.id][0] AS holder, c.owner AS owner,
       c.opened AS opened,
       [d IN concerned | d.id] AS defenders,
       [d IN concerned | d.name] AS names,
       [d IN concerned | size([x IN targeted WHERE x = d.id])] AS attacks,
       [(c)-[:CONCERNS]->(:Defender)-[:OPERATES_IN]->(t:Territory) | t.id] AS places,
       [(c)-[:DOCUMENTS]->(i:Incident) | i.id] AS incidents
