// For each given case the viewer may see, the other organizations that hold a case confirmed
// as the same, under the rule of cross_references: the other case is open to the viewer, or
// its holder discloses matches and it is not RED. Holders as in cross_references: by a HELD_BY
// that holds on $today and that the case's owner wrote, else the owner. The score is the side
// of the viewer's case when the viewer holds every token it took (null otherwise); a SAME_AS
// loaded as data keeps its own.
// Each comprehension binds names of its own: FalkorDB lets them leak into the next one.
// unchecked: s (the disclosure rule decides for it)
// params: $ids: list[str], $today: str, $viewer_grants: list[str]
// returns: 0..n rows {case: str, holders: list[map]}
UNWIND $ids AS id
MATCH (c:Case {id: id})-[s:SAME_AS]-(other:Case)
WHERE any(t IN c.acl WHERE t IN $viewer_grants) AND s.status = 'confirmed'
WITH c, s, other,
     coalesce([(c)-[mh:HELD_BY]->(mo:Organization)
               WHERE mh.owner = c.owner
                 AND (mh.valid_from IS NULL OR mh.valid_from <= $today)
                 AND (mh.valid_to IS NULL OR mh.valid_to >= $today) | mo.id][0],
              c.owner) AS my_holder,
     coalesce([(other)-[th:HELD_BY]->(tho:Organization)
               WHERE th.owner = other.owner
                 AND (th.valid_from IS NULL OR th.valid_from <= $today)
                 AND (th.valid_to IS NULL OR th.valid_to >= $today) | tho.id][0],
              other.owner) AS their_holder
WHERE their_holder <> my_holder
MATCH (org:Organization {id: their_holder})
WITH c, s, other, org, coalesce(org.xref_disclose, false) AND other.tlp <> 'RED' AS disclosed,
     [(c)-[:XREF_SIDE]->(x:XrefSide) WHERE x.match = s.id | x][0] AS side
WHERE any(t IN other.acl WHERE t IN $viewer_grants) OR disclosed
WITH c, org,
     CASE WHEN side IS NULL AND s.made_by IS NULL AND s.explanation IS NULL THEN s.score
          WHEN side IS NOT NULL AND all(t IN side.needs WHERE t IN $viewer_grants)
               AND (NOT side.disclosed OR disclosed) THEN side.score END AS score,
     CASE WHEN coalesce(org.xref_disclose, false) OR any(t IN org.acl WHERE t IN $viewer_grants)
          THEN org.name END AS name
WITH c, org, name, max(score) AS score
ORDER BY score DESC, org.id
RETURN c.id AS case, collect({id: org.id, name: name, score: score}) AS holders
