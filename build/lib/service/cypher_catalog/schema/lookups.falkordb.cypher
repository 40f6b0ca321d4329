// Range indexes for the filters reads use most: incident dates and kinds, territory kinds.
// returns: nothing
CREATE INDEX FOR (n:Incident) ON (n.date, n.kind);
CREATE INDEX FOR (n:Territory) ON (n.kind);
CREATE INDEX FOR (n:Actor) ON (n.kind);
CREATE INDEX FOR (k:ApiKey) ON (k.id);
CREATE INDEX FOR (e:EmbedToken) ON (e.id);
CREATE INDEX FOR (e:AuditEntry) ON (e.at);
CREATE INDEX FOR (k:EmbedSigningKey) ON (k.name);
CREATE INDEX FOR (k:XrefMatchKey) ON (k.name);
