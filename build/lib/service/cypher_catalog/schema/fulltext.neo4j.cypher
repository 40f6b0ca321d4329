// Full-text index over names, pseudonyms and aliases, folded (accents and case ignored).
// search_text holds what every viewer may search; search_name a defender's sensitive name,
// which a search may only match for viewers allowed to see it (the query checks name_acl).
// returns: nothing
CREATE FULLTEXT INDEX record_search IF NOT EXISTS
FOR (n:Record) ON EACH [n.search_text, n.search_name]
OPTIONS {indexConfig: {`fulltext.analyzer`: 'standard-folding'}};
