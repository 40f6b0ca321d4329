// An organization by id with its memberships of networks, raw (service/access.py
// admitted_networks decides which grant access): the viewer of an operator's `tejido export`.
// params: $org: str
// returns: 0..1 rows {id: str, memberships: list[map]}
MATCH (o:Organization {id: $org})
RETURN o.id AS id,
     [(o)-[m:MEMBER_OF]->(n:Organization) WHERE n.kind = 'network'
      | {network: n.id, owner: m.owner, valid_from: m.valid_from, valid_to: m.valid_to}]
       AS memberships
