// The ids and names of the defenders of some countries, or (an empty list) of all: enough to
// pick, by blocking keys, the few worth reading whole.
// params: $countries: list[str]
// returns: 0..n rows {id: str, name: str|null}
MATCH (d:Defender)
WHERE size($countries) = 0 OR d.country IN $countries
RETURN d.id AS id, d.name AS name
