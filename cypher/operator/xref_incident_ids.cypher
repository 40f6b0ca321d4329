// The ids of the incidents dated within [$since, $until] (the date index).
// params: $since: str, $until: str
// returns: 0..n rows {id: str}
MATCH (i:Incident)
WHERE i.date >= $since AND i.date <= $until
RETURN i.id AS id
