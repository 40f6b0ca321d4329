// Index on relationship `id` per type: MERGE by id finds the relationship without a scan.
// returns: nothing
CREATE INDEX allied_with_id IF NOT EXISTS FOR ()-[r:ALLIED_WITH]-() ON (r.id);
CREATE INDEX colludes_with_id IF NOT EXISTS FOR ()-[r:COLLUDES_WITH]-() ON (r.id);
CREATE INDEX infiltrates_id IF NOT EXISTS FOR ()-[r:INFILTRATES]-() ON (r.id);
CREATE INDEX funds_id IF NOT EXISTS FOR ()-[r:FUNDS]-() ON (r.id);
CREATE INDEX commands_id IF NOT EXISTS FOR ()-[r:COMMANDS]-() ON (r.id);
CREATE INDEX rival_of_id IF NOT EXISTS FOR ()-[r:RIVAL_OF]-() ON (r.id);
CREATE INDEX controls_id IF NOT EXISTS FOR ()-[r:CONTROLS]-() ON (r.id);
CREATE INDEX disputes_id IF NOT EXISTS FOR ()-[r:DISPUTES]-() ON (r.id);
CREATE INDEX operates_in_id IF NOT EXISTS FOR ()-[r:OPERATES_IN]-() ON (r.id);
CREATE INDEX has_interest_in_id IF NOT EXISTS FOR ()-[r:HAS_INTEREST_IN]-() ON (r.id);
CREATE INDEX part_of_id IF NOT EXISTS FOR ()-[r:PART_OF]-() ON (r.id);
CREATE INDEX member_of_id IF NOT EXISTS FOR ()-[r:MEMBER_OF]-() ON (r.id);
CREATE INDEX supports_id IF NOT EXISTS FOR ()-[r:SUPPORTS]-() ON (r.id);
CREATE INDEX solidarity_with_id IF NOT EXISTS FOR ()-[r:SOLIDARITY_WITH]-() ON (r.id);
CREATE INDEX perpetrated_by_id IF NOT EXISTS FOR ()-[r:PERPETRATED_BY]-() ON (r.id);
CREATE INDEX targeted_id IF NOT EXISTS FOR ()-[r:TARGETED]-() ON (r.id);
CREATE INDEX occurred_in_id IF NOT EXISTS FOR ()-[r:OCCURRED_IN]-() ON (r.id);
CREATE INDEX documents_id IF NOT EXISTS FOR ()-[r:DOCUMENTS]-() ON (r.id);
CREATE INDEX concerns_id IF NOT EXISTS FOR ()-[r:CONCERNS]-() ON (r.id);
CREATE INDEX held_by_id IF NOT EXISTS FOR ()-[r:HELD_BY]-() ON (r.id);
CREATE INDEX same_as_id IF NOT EXISTS FOR ()-[r:SAME_AS]-() ON (r.id);
