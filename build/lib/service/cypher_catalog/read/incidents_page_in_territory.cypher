// One page of the incidents in the territories of $scope (territory_scope), newest first,
// filtered as incidents_page is. It starts from the territories, so its cost follows them. (The
// place of an incident that targeted a defender whose name the viewer may not see reaches that
// viewer no finer than the region: the tokens of its ties say so, service/placement.py.)
// params: $scope: list[str], $kinds: list[str], $date_from: str|null, $date_to: str|null, $perpetrator: str|null, $target: str|null, $offset: int, $first: int, $viewer_grants: list[str]
// returns: 1 row {total: int, ids: list[str]}
UNWIND $scope AS place
MATCH (t:Territory {id: place})
WHERE any(tok IN t.acl WHERE tok IN $viewer_grants)
WITH t
MATCH (t)<-[o:OCCURRED_IN]-(n:Incident)
WHERE any(tok IN o.acl WHERE tok IN $viewer_grants)
  AND any(tok IN n.acl WHERE tok IN $viewer_grants)
  AND (size($kinds) = 0 OR n.kind IN $kinds)
  AND ($date_from IS NULL OR n.date >= $date_from)
  AND ($date_to IS NULL OR n.date <= $date_to)
WITH DISTINCT n
WITH n,
     [(n)-[b:PERPETRATED_BY]->(a:Actor)
      WHERE any(tok IN b.acl WHERE tok IN $viewer_grants)
        AND any(tok IN a.acl WHERE tok IN $viewer_grants) | a.id] AS by,
     [(n)-[g:TARGETED]->(d:Record)
      WHERE any(tok IN g.acl WHERE tok IN $viewer_grants)
        AND any(tok IN d.acl WHERE tok IN $viewer_grants) | d.id] AS against
WHERE ($perpetrator IS NULL OR $perpetrator IN by)
  AND ($target IS NULL OR $target IN against)
WITH n ORDER BY n.date DESC, n.id
WITH collect(n.id) AS ids
RETURN size(ids) AS total, ids[$offset..$offset + $first] AS ids
