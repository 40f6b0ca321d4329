// Delete the derived ties (coarse stand-ins for a tie that places a defender finer than a
// region) of the given records that are no longer wanted: `keep` lists `fine-id>territory-id`.
// params: $rows: list[{from: str, keep: list[str]}]
// returns: 1 row {dropped: int}
UNWIND $rows AS row
MATCH (n:Record {id: row.from})-[x]->(t:Territory)
WHERE x.derived = true AND NOT (x.derived_from + '>' + t.id) IN row.keep
DELETE x
RETURN count(x) AS dropped
