// Where an organization's warnings are delivered and the secret that signs them (HMAC-SHA256);
// a null $url stops deliveries. Not a :Record, so no viewer read reaches it.
// params: $org: str, $url: str, $secret: str, $now: str
// returns: 1 row {org: str}
MERGE (h:WarningWebhook {org: $org})
SET h.url = $url, h.secret = $secret, h.updated_at = $now
RETURN h.org AS org
