// Cross-references that concern the viewer's own records (held by the viewer's organization
// and visible to the viewer), best first; $id (or '') keeps one match, $holder (or '') the
// matches with one other organization. A match made by matching is served by its side for the
// viewer's record (docs/cross-referencing.md): its score was computed from what the viewer's
// organization may read, and it is served only to a viewer holding every token that took and,
// if it used what the other holder discloses, only while that holder discloses. The other
// record shows if the viewer may open it, and the explanation too unless the side used
// disclosed content; otherwise the match is listed (holder and score, no content) only when
// the other holder discloses matches and the other record is not RED. A SAME_AS loaded as data
// (not made by matching) keeps its own score under the same disclosure rule. Otherwise a match
// does not exist for the viewer, not even in the total. A case is held by the organization of
// its HELD_BY that holds on $today and that the case's owner wrote; any other record (and a
// case without one) by its owner.
// The relationship is matched by its direction and each end taken in turn as the viewer's:
// FalkorDB, given a filter on a relationship's property, finds it in an undirected pattern
// from one of its ends only. Each comprehension binds names of its own: FalkorDB lets them
// leak into the next one.
// unchecked: s, a, b (the side and the disclosure rule decide for `s`; `a` and `b` are checked as `mine` and `other`)
// params: $viewer_org: str, $holder: str, $id: str, $min_score: float, $statuses: list[str], $today: str, $offset: int, $first: int, $viewer_grants: list[str]
// returns: 1 row {total: int, page: list[map]}
MATCH (a:Record)-[s:SAME_AS]->(b:Record)
WHERE coalesce(s.status, 'proposed') IN $statuses AND ($id = '' OR s.id = $id)
UNWIND [[a, b], [b, a]] AS ends
WITH s, ends[0] AS mine, ends[1] AS other
WHERE any(t IN mine.acl WHERE t IN $viewer_grants)
WITH mine, s, other,
     coalesce([(mine)-[mh:HELD_BY]->(mo:Organization)
               WHERE mh.owner = mine.owner
                 AND (mh.valid_from IS NULL OR mh.valid_from <= $today)
                 AND (mh.valid_to IS NULL OR mh.valid_to >= $today) | mo.id][0],
              mine.owner) AS my_holder,
     coalesce([(other)-[th:HELD_BY]->(tho:Organization)
               WHERE th.owner = other.owner
                 AND (th.valid_from IS NULL OR th.valid_from <= $today)
                 AND (th.valid_to IS NULL OR th.valid_to >= $today) | tho.id][0],
              other.owner) AS their_holder
WHERE my_holder = $viewer_org AND their_holder <> $viewer_org
  AND ($holder = '' OR their_holder = $holder)
WITH mine, s, other, their_holder,
     [(mine)-[:XREF_SIDE]->(x:XrefSide) WHERE x.match = s.id | x][0] AS side,
     s.made_by IS NULL AND s.explanation IS NULL AS loaded
WHERE (side IS NOT NULL AND all(t IN side.needs WHERE t IN $viewer_grants))
   OR (side IS NULL AND loaded)
MATCH (org:Organization {id: their_holder})
WITH mine, s, other, org, side, any(t IN other.acl WHERE t IN $viewer_grants) AS open_file,
     coalesce(org.xref_disclose, false) AND other.tlp <> 'RED' AS disclosed
WHERE (open_file OR disclosed) AND (side IS NULL OR NOT side.disclosed OR disclosed)
WITH mine, s, other, org, open_file,
     disclosed OR any(t IN org.acl WHERE t IN $viewer_grants) AS named,
     CASE WHEN side IS NULL THEN s.score ELSE side.score END AS score,
     CASE WHEN open_file AND side IS NOT NULL AND NOT side.disclosed
          THEN side.explanation END AS explanation
WHERE coalesce(score, 0.0) >= $min_score
WITH mine, s, other, org, open_file, named, score, explanation
ORDER BY score DESC, s.id
WITH collect({
       id: s.id, label: [l IN labels(mine) WHERE l <> 'Record'][0], score: score,
       status: coalesce(s.status, 'proposed'), confirmed_by: s.confirmed_by, mine: mine.id,
       other: CASE WHEN open_file THEN other.id END, explanation: explanation,
       holder: org.id, holder_name: CASE WHEN named THEN org.name END
     }) AS rows
RETURN size(rows) AS total, rows[$offset..$offset + $first] AS page
