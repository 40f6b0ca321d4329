// Full-text index over names, pseudonyms and aliases (RediSearch, keyed by label). The loader
// stores both fields already folded (lower case, no accents), so matching ignores accents.
// returns: nothing
CALL db.idx.fulltext.createNodeIndex({label: 'Record', language: 'spanish'}, 'search_text', 'search_name');
