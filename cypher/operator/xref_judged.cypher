// Every SAME_AS already in the graph, whatever its status: matching never proposes a pair
// again once someone has confirmed or rejected it, and refreshes the score of a proposal.
// returns: 0..n rows {id: str, left: str, right: str, status: str|null}
MATCH (a:Record)-[s:SAME_AS]->(b:Record)
RETURN s.id AS id, a.id AS left, b.id AS right, s.status AS status
