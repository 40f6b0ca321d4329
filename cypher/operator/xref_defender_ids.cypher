// The ids of the defenders of some countries, or (an empty list) of all.
// params: $countries: list[str]
// returns: 0..n rows {id: str}
MATCH (d:Defender)
WHERE size($countries) = 0 OR d.country IN $countries
RETURN d.id AS id
