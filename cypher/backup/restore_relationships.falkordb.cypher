// Recreate relationships from a backup between nodes restore_nodes made (keys as it returned
// them). One FOREACH per relationship type: Cypher cannot take a type from a parameter; a test
// (tests/ops/test_backup.py) checks that every type any statement writes is here.
// params: $rows: list[{start, end, type: str, props: map}]
// returns: 1 row {restored: int}
UNWIND $rows AS row
MATCH (a)
WHERE id(a) = row.start
WITH row, a
MATCH (b)
WHERE id(b) = row.end
FOREACH (_ IN CASE WHEN row.type = 'ALLIED_WITH' THEN [1] ELSE [] END |
  CREATE (a)-[r:ALLIED_WITH]->(b) SET r = row.props)
FOREACH (_ IN CASE WHEN row.type = 'COLLUDES_WITH' THEN [1] ELSE [] END |
  CREATE (a)-[r:COLLUDES_WITH]->(b) SET r = row.props)
FOREACH (_ IN CASE WHEN row.type = 'COMMANDS' THEN [1] ELSE [] END |
  CREATE (a)-[r:COMMANDS]->(b) SET r = row.props)
FOREACH (_ IN CASE WHEN row.type = 'CONCERNS' THEN [1] ELSE [] END |
  CREATE (a)-[r:CONCERNS]->(b) SET r = row.props)
FOREACH (_ IN CASE WHEN row.type = 'CONTROLS' THEN [1] ELSE [] END |
  CREATE (a)-[r:CONTROLS]->(b) SET r = row.props)
FOREACH (_ IN CASE WHEN row.type = 'DISPUTES' THEN [1] ELSE [] END |
  CREATE (a)-[r:DISPUTES]->(b) SET r = row.props)
FOREACH (_ IN CASE WHEN row.type = 'DOCUMENTS' THEN [1] ELSE [] END |
  CREATE (a)-[r:DOCUMENTS]->(b) SET r = row.props)
FOREACH (_ IN CASE WHEN row.type = 'FUNDS' THEN [1] ELSE [] END |
  CREATE (a)-[r:FUNDS]->(b) SET r = row.props)
FOREACH (_ IN CASE WHEN row.type = 'HAS_INTEREST_IN' THEN [1] ELSE [] END |
  CREATE (a)-[r:HAS_INTEREST_IN]->(b) SET r = row.props)
FOREACH (_ IN CASE WHEN row.type = 'HELD_BY' THEN [1] ELSE [] END |
  CREATE (a)-[r:HELD_BY]->(b) SET r = row.props)
FOREACH (_ IN CASE WHEN row.type = 'INFILTRATES' THEN [1] ELSE [] END |
  CREATE (a)-[r:INFILTRATES]->(b) SET r = row.props)
FOREACH (_ IN CASE WHEN row.type = 'MEMBER_OF' THEN [1] ELSE [] END |
  CREATE (a)-[r:MEMBER_OF]->(b) SET r = row.props)
FOREACH (_ IN CASE WHEN row.type = 'OCCURRED_IN' THEN [1] ELSE [] END |
  CREATE (a)-[r:OCCURRED_IN]->(b) SET r = row.props)
FOREACH (_ IN CASE WHEN row.type = 'OPERATES_IN' THEN [1] ELSE [] END |
  CREATE (a)-[r:OPERATES_IN]->(b) SET r = row.props)
FOREACH (_ IN CASE WHEN row.type = 'PART_OF' THEN [1] ELSE [] END |
  CREATE (a)-[r:PART_OF]->(b) SET r = row.props)
FOREACH (_ IN CASE WHEN row.type = 'PERPETRATED_BY' THEN [1] ELSE [] END |
  CREATE (a)-[r:PERPETRATED_BY]->(b) SET r = row.props)
FOREACH (_ IN CASE WHEN row.type = 'RIVAL_OF' THEN [1] ELSE [] END |
  CREATE (a)-[r:RIVAL_OF]->(b) SET r = row.props)
FOREACH (_ IN CASE WHEN row.type = 'SAME_AS' THEN [1] ELSE [] END |
  CREATE (a)-[r:SAME_AS]->(b) SET r = row.props)
FOREACH (_ IN CASE WHEN row.type = 'SOLIDARITY_WITH' THEN [1] ELSE [] END |
  CREATE (a)-[r:SOLIDARITY_WITH]->(b) SET r = row.props)
FOREACH (_ IN CASE WHEN row.type = 'SUPPORTS' THEN [1] ELSE [] END |
  CREATE (a)-[r:SUPPORTS]->(b) SET r = row.props)
FOREACH (_ IN CASE WHEN row.type = 'TARGETED' THEN [1] ELSE [] END |
  CREATE (a)-[r:TARGETED]->(b) SET r = row.props)
FOREACH (_ IN CASE WHEN row.type = 'XREF_SIDE' THEN [1] ELSE [] END |
  CREATE (a)-[r:XREF_SIDE]->(b) SET r = row.props)
RETURN count(*) AS restored
