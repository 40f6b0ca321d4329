// Every webhook set, with its sealed secret and, from before secrets were sealed, a secret in
// clear: checked and sealed when the service starts (service/warnings/sealing.py).
// returns: 0..n rows {org, sealed_secret, plain_secret}
MATCH (h:WarningWebhook)
WHERE h.url IS NOT NULL
RETURN h.org AS org, h.sealed_secret AS sealed_secret, h.secret AS plain_secret
ORDER BY org
