// Every SAME_AS in the graph with its status, for an operator's (and the tests') look at what
// matching proposed and people judged. Matching itself leaves judged pairs alone inside
// cypher/xref/refresh_proposals.cypher and create_proposals.cypher.
// returns: 0..n rows {id: str, left: str, right: str, status: str|null}
MATCH (a:Record)-[s:SAME_AS]->(b:Record)
RETURN s.id AS id, a.id AS left, b.id AS right, s.status AS status
