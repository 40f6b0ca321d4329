// What a written incident can reach, to evaluate after the write only the watches it can make
// fire (service/warnings/reach.py): its kind, the territories it occurred in and every one above
// them (as far as territory_scope looks down), whom it targeted (with a targeted defender's
// status: a victim weighs on those around her), and the members on $today of targeted
// organizations, whatever their markings: a superset, since each watch then reads as its own
// viewer.
// params: $id: str, $today: str
// returns: 0..1 rows {kind: str, places: list[str], targets: list[str], statuses: list[str], members: list[str]}
MATCH (i:Incident {id: $id})
OPTIONAL MATCH (i)-[:OCCURRED_IN]->(:Territory)-[:PART_OF*0..8]->(up:Territory)
WITH i, collect(DISTINCT up.id) AS places
RETURN i.kind AS kind, places,
       [(i)-[:TARGETED]->(x:Record) | x.id] AS targets,
       [(i)-[:TARGETED]->(x:Defender) | coalesce(x.status, 'unknown')] AS statuses,
       [(i)-[:TARGETED]->(:Organization)<-[m:MEMBER_OF]-(d:Defender)
        WHERE (m.valid_from IS NULL OR m.valid_from <= $today)
          AND (m.valid_to IS NULL OR m.valid_to >= $today) | d.id] AS members
