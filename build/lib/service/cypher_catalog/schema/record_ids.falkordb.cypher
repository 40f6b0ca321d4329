// Range indexes on `id` per label and on :Record; FalkorDB's uniqueness constraints need them
// and are created through the client (GRAPH.CONSTRAINT is not Cypher). A repeated create
// fails with "already indexed", which the store ignores.
// returns: nothing
CREATE INDEX FOR (n:Actor) ON (n.id);
CREATE INDEX FOR (n:Defender) ON (n.id);
CREATE INDEX FOR (n:Organization) ON (n.id);
CREATE INDEX FOR (n:Territory) ON (n.id);
CREATE INDEX FOR (n:Incident) ON (n.id);
CREATE INDEX FOR (n:Case) ON (n.id);
CREATE INDEX FOR (n:Source) ON (n.id);
CREATE INDEX FOR (n:Record) ON (n.id);
