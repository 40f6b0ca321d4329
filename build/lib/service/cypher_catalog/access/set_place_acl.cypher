// Set the access tokens that service/placement.py derived for ties that place a record.
// params: $rows: list[{from: str, id: str, acl: list[str]}]
// returns: 1 row {written: int}
UNWIND $rows AS row
MATCH (n:Record {id: row.from})-[r]->(:Territory)
WHERE r.id = row.id
SET r.acl = row.acl
RETURN count(r) AS written
