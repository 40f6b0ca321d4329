// The organizations that let others learn of their matching records (`xref_disclose`):
// matching may compare what they disclose (docs/cross-referencing.md, "Blind by default").
// returns: 0..n rows {id: str}
MATCH (o:Organization)
WHERE o.xref_disclose = true
RETURN o.id AS id
