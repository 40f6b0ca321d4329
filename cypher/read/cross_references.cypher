// Cross-references that concern the viewer's own records (held by the viewer's organization
// and visible to the viewer), best first. The other record shows only if the viewer may open
// it; otherwise the match is listed (holder and score, no content) only when the other holder
// discloses matches and the other record is not RED. Otherwise it does not exist for the viewer,
// not even in the total. $holder (or '') keeps matches with one other organization.
// unchecked: s, mh, oh (the disclosure rule decides for `s`; the holders only name whose record is whose)
// params: $viewer_org: str, $holder: str, $min_score: float, $statuses: list[str], $offset: int, $first: int, $viewer_grants: list[str]
// returns: 1 row {total: int, page: list[map]}
MATCH (mine:Record)-[s:SAME_AS]-(other:Record)
WHERE any(t IN mine.acl WHERE t IN $viewer_grants)
  AND coalesce(s.score, 0.0) >= $min_score
  AND coalesce(s.status, 'proposed') IN $statuses
OPTIONAL MATCH (mine)-[:HELD_BY]->(mh:Organization)
OPTIONAL MATCH (other)-[:HELD_BY]->(oh:Organization)
WITH mine, s, other, coalesce(mh.id, mine.owner) AS my_holder,
     coalesce(oh.id, other.owner) AS their_holder
WHERE my_holder = $viewer_org AND their_holder <> $viewer_org
  AND ($holder = '' OR their_holder = $holder)
MATCH (org:Organization {id: their_holder})
WITH mine, s, other, org, any(t IN other.acl WHERE t IN $viewer_grants) AS open_file,
     coalesce(org.xref_disclose, false) AND other.tlp <> 'RED' AS disclosed
WHERE open_file OR disclosed
WITH mine, s, other, org, open_file,
     disclosed OR any(t IN org.acl WHERE t IN $viewer_grants) AS named
ORDER BY s.score DESC, s.id
WITH collect({
       id: s.id, label: [l IN labels(mine) WHERE l <> 'Record'][0], score: s.score,
       status: coalesce(s.status, 'proposed'), confirmed_by: s.confirmed_by, mine: mine.id,
       other: CASE WHEN open_file THEN other.id END,
       explanation: CASE WHEN open_file THEN s.explanation END,
       holder: org.id, holder_name: CASE WHEN named THEN org.name END
     }) AS rows
RETURN size(rows) AS total, rows[$offset..$offset + $first] AS page
