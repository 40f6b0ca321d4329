// Where an organization's warnings are delivered and the secret that signs them (HMAC-SHA256),
// sealed with the operator's key; a null $url stops deliveries. Not a :Record, so no viewer
// read reaches it.
// params: $org: str, $url: str, $sealed_secret: str, $now: str
// returns: 1 row {org: str}
MERGE (h:WarningWebhook {org: $org})
SET h.url = $url, h.sealed_secret = $sealed_secret, h.secret = null, h.updated_at = $now
RETURN h.org AS org
