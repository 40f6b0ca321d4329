// Range indexes for the filters reads use most: incident dates and kinds, territory kinds.
// returns: nothing
CREATE INDEX incident_date IF NOT EXISTS FOR (n:Incident) ON (n.date);
CREATE INDEX incident_kind IF NOT EXISTS FOR (n:Incident) ON (n.kind);
CREATE INDEX territory_kind IF NOT EXISTS FOR (n:Territory) ON (n.kind);
CREATE INDEX actor_kind IF NOT EXISTS FOR (n:Actor) ON (n.kind);
CREATE CONSTRAINT api_key_id IF NOT EXISTS FOR (k:ApiKey) REQUIRE k.id IS UNIQUE;
CREATE CONSTRAINT embed_token_id IF NOT EXISTS FOR (e:EmbedToken) REQUIRE e.id IS UNIQUE;
CREATE CONSTRAINT embed_signing_key_name IF NOT EXISTS FOR (k:EmbedSigningKey) REQUIRE k.name IS UNIQUE;
CREATE INDEX audit_entry_at IF NOT EXISTS FOR (e:AuditEntry) ON (e.at);
CREATE CONSTRAINT xref_match_key_name IF NOT EXISTS FOR (k:XrefMatchKey) REQUIRE k.name IS UNIQUE;
