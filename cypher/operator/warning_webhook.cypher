// An organization's webhook (url and its signing secret, sealed with the operator's key), if it
// set one.
// params: $org: str
// returns: 0..1 rows {org, url, sealed_secret}
MATCH (h:WarningWebhook {org: $org})
WHERE h.url IS NOT NULL
RETURN h.org AS org, h.url AS url, h.sealed_secret AS sealed_secret
