// Delete the derived ties (coarse stand-ins for ties that place a defender finer than a
// region) of the given records that are no longer wanted; `keep` lists their keys.
// params: $rows: list[{from: str, keep: list[str]}]
// returns: 1 row {dropped: int}
UNWIND $rows AS row
MATCH (n:Record {id: row.from})-[x]->(:Territory)
WHERE x.derived = true AND NOT x.derived_key IN row.keep
DELETE x
RETURN count(x) AS dropped
