// An organization's webhook (url and signing secret), if it set one.
// params: $org: str
// returns: 0..1 rows {org, url, secret}
MATCH (h:WarningWebhook {org: $org})
WHERE h.url IS NOT NULL
RETURN h.org AS org, h.url AS url, h.secret AS secret
