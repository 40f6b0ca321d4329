// Replace a webhook's secret by the same secret sealed (again) with the operator's current key,
// removing any copy in clear: `tejido warnings rotate-key` and the start of the service.
// params: $org: str, $sealed_secret: str
// returns: 0..1 rows {org: str}
MATCH (h:WarningWebhook {org: $org})
SET h.sealed_secret = $sealed_secret, h.secret = null
RETURN h.org AS org
