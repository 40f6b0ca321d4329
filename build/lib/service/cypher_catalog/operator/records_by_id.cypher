// The label of each given id already in the graph, and a source's grades; the loader checks
// references and derives confidence with it.
// params: $ids: list[str]
// returns: 0..n rows {id: str, label: str, reliability: str|null, credibility: str|null}
UNWIND $ids AS id
MATCH (n:Record {id: id})
RETURN n.id AS id,
       [l IN labels(n) WHERE l <> 'Record'][0] AS label,
       n.reliability AS reliability,
       n.credibility AS credibility
