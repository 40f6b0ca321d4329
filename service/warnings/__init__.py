"""Watches and warnings (issue 17): an organization's admins watch defenders, territories and
actors; when a write or the passing of days makes a watch's threshold hold, a warning is
recorded once and, where the organization set a webhook, delivered from a durable outbox.

- `watches.py`: what can be watched and with which thresholds; creating and ending watches.
- `evaluate.py`: each watch checked as a viewer of its organization, through the same
  access-checked reads as every answer; a warning's key makes recording it idempotent.
- `inbox.py`: warnings as an organization's keys read and acknowledge them.
- `webhook.py`: signing (HMAC-SHA256), the address check (SSRF) and one HTTP delivery.
- `outbox.py`: due warnings taken with a lease, delivered, retried with backoff, logged.
- `runner.py`: the background task inside `serve` and the one-off `tejido warnings run`.
"""
