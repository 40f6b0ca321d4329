// How many records of each label the viewer may see: hidden records are not counted.
// params: $viewer_grants: list[str]
// returns: 0..n rows {label: str, count: int}
MATCH (n:Record)
WHERE any(t IN n.acl WHERE t IN $viewer_grants)
UNWIND labels(n) AS label
WITH label
WHERE label <> 'Record'
RETURN label, count(*) AS count
ORDER BY label
