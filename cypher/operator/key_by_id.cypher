// A live (not revoked) API key by its public id, with the hash to check the secret against,
// its expiry (service/keys.py refuses an expired key) and its organization's memberships of networks, raw: which of them grant access (admitted by the
// network itself, holding today) is decided in one place, service/access.py admitted_networks.
// One statement: it runs on every request.
// params: $id: str
// returns: 0..1 rows {id, org, role, clearance, hash, expires_at, memberships: list[map]}
MATCH (k:ApiKey {id: $id})
WHERE k.revoked_at IS NULL
OPTIONAL MATCH (o:Organization {id: k.org})
WITH k, o
RETURN k.id AS id, k.org AS org, k.role AS role, k.clearance AS clearance, k.hash AS hash,
     k.expires_at AS expires_at,
     [(o)-[m:MEMBER_OF]->(n:Organization) WHERE n.kind = 'network'
      | {network: n.id, owner: m.owner, valid_from: m.valid_from, valid_to: m.valid_to}]
       AS memberships
