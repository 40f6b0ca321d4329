// For each given territory, and every territory above it through visible PART_OF links: the
// non-state actors that control or dispute it and the extractive interests in it, as the
// viewer may see them on $as_of.
// params: $ids: list[str], $as_of: str, $viewer_grants: list[str]
// returns: 0..n rows {territory, actors: list[map], interests: list[map]}
UNWIND $ids AS place
MATCH p = (t:Territory {id: place})-[:PART_OF*0..6]->(up:Territory)
WHERE all(x IN nodes(p) WHERE any(tok IN x.acl WHERE tok IN $viewer_grants))
  AND all(x IN relationships(p) WHERE any(tok IN x.acl WHERE tok IN $viewer_grants))
WITH place, up,
     [(up)<-[c:CONTROLS|DISPUTES]-(a:Actor)
      WHERE a.sector = 'non_state'
        AND any(tok IN c.acl WHERE tok IN $viewer_grants)
        AND any(tok IN a.acl WHERE tok IN $viewer_grants)
        AND (c.valid_from IS NULL OR c.valid_from <= $as_of)
        AND (c.valid_to IS NULL OR c.valid_to >= $as_of)
      | {actor: a.id, relation: type(c), degree: c.degree, confidence: c.confidence}] AS actors,
     [(up)<-[h:HAS_INTEREST_IN]-(a:Actor)
      WHERE any(tok IN h.acl WHERE tok IN $viewer_grants)
        AND any(tok IN a.acl WHERE tok IN $viewer_grants)
        AND (h.valid_from IS NULL OR h.valid_from <= $as_of)
        AND (h.valid_to IS NULL OR h.valid_to >= $as_of)
      | {actor: a.id, resource: h.resource}] AS interests
RETURN place AS territory, up.id AS via, actors, interests
ORDER BY territory, via
