// For each given case the viewer may see, the other organizations that hold a case confirmed
// as the same, under the rule of cross_references: the other case is open to the viewer, or
// its holder discloses matches and it is not RED.
// unchecked: s, mh (the disclosure rule decides for `s`; `mh` only names the holder)
// params: $ids: list[str], $viewer_grants: list[str]
// returns: 0..n rows {case: str, holders: list[map]}
UNWIND $ids AS id
MATCH (c:Case {id: id})-[s:SAME_AS]-(other:Case)
WHERE any(t IN c.acl WHERE t IN $viewer_grants) AND s.status = 'confirmed'
MATCH (other)-[:HELD_BY]->(org:Organization)
OPTIONAL MATCH (c)-[:HELD_BY]->(mh:Organization)
WITH c, s, other, org, coalesce(mh.id, c.owner) AS my_holder
WHERE org.id <> my_holder
  AND (any(t IN other.acl WHERE t IN $viewer_grants)
       OR (coalesce(org.xref_disclose, false) AND other.tlp <> 'RED'))
WITH c, org, max(s.score) AS score,
     CASE WHEN coalesce(org.xref_disclose, false) OR any(t IN org.acl WHERE t IN $viewer_grants)
          THEN org.name END AS name
ORDER BY score DESC, org.id
RETURN c.id AS case, collect({id: org.id, name: name, score: score}) AS holders
