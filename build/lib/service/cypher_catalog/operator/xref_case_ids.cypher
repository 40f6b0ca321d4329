// The ids of every case file.
// returns: 0..n rows {id: str}
MATCH (c:Case)
RETURN c.id AS id
