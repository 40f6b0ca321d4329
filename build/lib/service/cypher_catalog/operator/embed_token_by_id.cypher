// A live (not revoked) embed token by id, with its organization's memberships of networks, raw
// (service/access.py admitted_networks decides which grant access, as for API keys). Runs on
// every embed request: revocation is checked against the database, never a cache.
// params: $id: str
// returns: 0..1 rows {id, org, view, params, max_tlp, expires_at, frame_ancestors, memberships: list[map]}
MATCH (e:EmbedToken {id: $id})
WHERE e.revoked_at IS NULL
OPTIONAL MATCH (o:Organization {id: e.org})
WITH e, o
RETURN e.id AS id, e.org AS org, e.view AS view, e.params AS params, e.max_tlp AS max_tlp,
       e.expires_at AS expires_at, e.frame_ancestors AS frame_ancestors,
     [(o)-[m:MEMBER_OF]->(n:Organization) WHERE n.kind = 'network'
      | {network: n.id, owner: m.owner, valid_from: m.valid_from, valid_to: m.valid_to}]
       AS memberships
