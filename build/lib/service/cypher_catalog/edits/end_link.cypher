// End a relationship that the viewer's organization recorded: it stops holding after $on (its
// history stays, as evidence must). Found from one of its ends, which the viewer must see. Ties
// that confer authority ($authority_ties, `TYPE:FromLabel` from the model) are not ended here.
// params: $record: str, $id: str, $on: str, $now: str, $viewer_org: str, $authority_ties: list[str], $viewer_grants: list[str]
// returns: 0..1 rows {id: str, type: str}
MATCH (a:Record {id: $record})-[r]-(b:Record)
WHERE r.id = $id
  AND r.owner = $viewer_org
  AND any(t IN a.acl WHERE t IN $viewer_grants)
  AND any(t IN r.acl WHERE t IN $viewer_grants)
  AND any(t IN b.acl WHERE t IN $viewer_grants)
  AND (r.valid_from IS NULL OR r.valid_from <= $on)
  AND NOT ((type(r) + ':' + [l IN labels(startNode(r)) WHERE l <> 'Record'][0]) IN $authority_ties)
SET r.valid_to = $on, r.updated_at = $now
RETURN r.id AS id, type(r) AS type
