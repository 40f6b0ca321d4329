// One page of incidents, newest first, filtered by kinds, a date range, a perpetrator and a
// target, each through relationships the viewer may see; with the number of all matches. The
// cursor is the position in this order. With a territory, incidents_page_in_territory runs.
// params: $kinds: list[str], $date_from: str|null, $date_to: str|null, $perpetrator: str|null, $target: str|null, $offset: int, $first: int, $viewer_grants: list[str]
// returns: 1 row {total: int, ids: list[str]}
MATCH (n:Incident)
WHERE any(tok IN n.acl WHERE tok IN $viewer_grants)
  AND (size($kinds) = 0 OR n.kind IN $kinds)
  AND ($date_from IS NULL OR n.date >= $date_from)
  AND ($date_to IS NULL OR n.date <= $date_to)
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
