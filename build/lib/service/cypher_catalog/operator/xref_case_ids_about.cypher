// The ids of the case files that concern or document one of the given records.
// params: $about: list[str]
// returns: 0..n rows {id: str}
UNWIND $about AS about
MATCH (:Record {id: about})<-[:CONCERNS|DOCUMENTS]-(c:Case)
RETURN DISTINCT c.id AS id
