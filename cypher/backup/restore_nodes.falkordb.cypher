// Recreate nodes from a backup with their labels and properties; returns each one's new key
// for restore_relationships. One FOREACH per label: Cypher cannot take a label from a
// parameter; a test (tests/ops/test_backup.py) checks that every label any statement writes
// or the model defines is here, and service/backup.py refuses a backup with any other.
// params: $rows: list[{i: int, labels: list[str], props: map}]
// returns: 0..n rows {i: int, key}
UNWIND $rows AS row
CREATE (n)
SET n = row.props
FOREACH (_ IN CASE WHEN 'Record' IN row.labels THEN [1] ELSE [] END | SET n:Record)
FOREACH (_ IN CASE WHEN 'Organization' IN row.labels THEN [1] ELSE [] END | SET n:Organization)
FOREACH (_ IN CASE WHEN 'Territory' IN row.labels THEN [1] ELSE [] END | SET n:Territory)
FOREACH (_ IN CASE WHEN 'Incident' IN row.labels THEN [1] ELSE [] END | SET n:Incident)
FOREACH (_ IN CASE WHEN 'Actor' IN row.labels THEN [1] ELSE [] END | SET n:Actor)
FOREACH (_ IN CASE WHEN 'Defender' IN row.labels THEN [1] ELSE [] END | SET n:Defender)
FOREACH (_ IN CASE WHEN 'Case' IN row.labels THEN [1] ELSE [] END | SET n:Case)
FOREACH (_ IN CASE WHEN 'Source' IN row.labels THEN [1] ELSE [] END | SET n:Source)
FOREACH (_ IN CASE WHEN 'ApiKey' IN row.labels THEN [1] ELSE [] END | SET n:ApiKey)
FOREACH (_ IN CASE WHEN 'EmbedToken' IN row.labels THEN [1] ELSE [] END | SET n:EmbedToken)
FOREACH (_ IN CASE WHEN 'EmbedSigningKey' IN row.labels THEN [1] ELSE [] END | SET n:EmbedSigningKey)
FOREACH (_ IN CASE WHEN 'AuditEntry' IN row.labels THEN [1] ELSE [] END | SET n:AuditEntry)
FOREACH (_ IN CASE WHEN 'XrefSide' IN row.labels THEN [1] ELSE [] END | SET n:XrefSide)
FOREACH (_ IN CASE WHEN 'XrefMatchKey' IN row.labels THEN [1] ELSE [] END | SET n:XrefMatchKey)
FOREACH (_ IN CASE WHEN 'Watch' IN row.labels THEN [1] ELSE [] END | SET n:Watch)
FOREACH (_ IN CASE WHEN 'Warning' IN row.labels THEN [1] ELSE [] END | SET n:Warning)
FOREACH (_ IN CASE WHEN 'WarningWebhook' IN row.labels THEN [1] ELSE [] END | SET n:WarningWebhook)
FOREACH (_ IN CASE WHEN 'WarningDelivery' IN row.labels THEN [1] ELSE [] END | SET n:WarningDelivery)
RETURN row.i AS i, id(n) AS key
