// Index on relationship `id` per type: MERGE by id finds the relationship without a scan.
// returns: nothing
CREATE INDEX FOR ()-[r:ALLIED_WITH]-() ON (r.id);
CREATE INDEX FOR ()-[r:COLLUDES_WITH]-() ON (r.id);
CREATE INDEX FOR ()-[r:INFILTRATES]-() ON (r.id);
CREATE INDEX FOR ()-[r:FUNDS]-() ON (r.id);
CREATE INDEX FOR ()-[r:COMMANDS]-() ON (r.id);
CREATE INDEX FOR ()-[r:RIVAL_OF]-() ON (r.id);
CREATE INDEX FOR ()-[r:CONTROLS]-() ON (r.id);
CREATE INDEX FOR ()-[r:DISPUTES]-() ON (r.id);
CREATE INDEX FOR ()-[r:OPERATES_IN]-() ON (r.id);
CREATE INDEX FOR ()-[r:HAS_INTEREST_IN]-() ON (r.id);
CREATE INDEX FOR ()-[r:PART_OF]-() ON (r.id);
CREATE INDEX FOR ()-[r:MEMBER_OF]-() ON (r.id);
CREATE INDEX FOR ()-[r:SUPPORTS]-() ON (r.id);
CREATE INDEX FOR ()-[r:SOLIDARITY_WITH]-() ON (r.id);
CREATE INDEX FOR ()-[r:PERPETRATED_BY]-() ON (r.id);
CREATE INDEX FOR ()-[r:TARGETED]-() ON (r.id);
CREATE INDEX FOR ()-[r:OCCURRED_IN]-() ON (r.id);
CREATE INDEX FOR ()-[r:DOCUMENTS]-() ON (r.id);
CREATE INDEX FOR ()-[r:CONCERNS]-() ON (r.id);
CREATE INDEX FOR ()-[r:HELD_BY]-() ON (r.id);
CREATE INDEX FOR ()-[r:SAME_AS]-() ON (r.id);
