// The delivery log of an organization's warnings, oldest first.
// params: $org: str
// returns: 0..n rows {warning, url, attempt, status, error, delivered, at}
MATCH (d:WarningDelivery {org: $org})
RETURN d.warning AS warning, d.url AS url, d.attempt AS attempt, d.status AS status,
       d.error AS error, d.delivered AS delivered, d.at AS at
ORDER BY at, warning, attempt
