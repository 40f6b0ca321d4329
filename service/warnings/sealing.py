"""Webhook secrets at rest: sealed with Fernet (cryptography) under a key the operator holds,
TEJIDO_SECRET_KEY or TEJIDO_SECRET_KEY_FILE, so that the graph, its backups and any copy of
either hold no signing secret in clear.

Several keys (comma-separated, or one per line in the file) make a MultiFernet: the first seals,
every one opens. Rotation (docs/warnings.md): put a new key first, run
`tejido warnings rotate-key` (every secret sealed again with it), then drop the old key.
"""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from service.config import Settings
from service.errors import ConfigError
from service.i18n import _
from service.logs import get_logger
from service.store import Store

log = get_logger(__name__)


class SecretBox:
    """Seals and opens webhook secrets with the operator's keys."""

    def __init__(self, keys: list[str]) -> None:
        fernets = []
        for i, key in enumerate(keys, start=1):
            try:
                fernets.append(Fernet(key.encode()))
            except ValueError:
                raise ConfigError(
                    _(
                        "TEJIDO_SECRET_KEY: key {n} is not a Fernet key (32 bytes in url-safe "
                        "base64; make one with: {command})",
                        n=i,
                        command=NEW_KEY_COMMAND,
                    )
                ) from None
        self._fernet = MultiFernet(fernets)

    def seal(self, secret: str) -> str:
        return self._fernet.encrypt(secret.encode()).decode()

    def open(self, sealed: str, org: str) -> str:
        try:
            return self._fernet.decrypt(sealed.encode()).decode()
        except InvalidToken:
            raise ConfigError(
                _(
                    "TEJIDO_SECRET_KEY does not open the webhook secret of {org}: a wrong key, "
                    "or the key that sealed it was dropped before `tejido warnings rotate-key`",
                    org=org,
                )
            ) from None

    def reseal(self, sealed: str, org: str) -> str:
        """The same secret sealed with the first key (for rotation)."""
        self.open(sealed, org)  # the same clear error when no key opens it
        return self._fernet.rotate(sealed.encode()).decode()


NEW_KEY_COMMAND = (
    'python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"'
)


def secret_box(settings: Settings) -> SecretBox | None:
    """The operator's keys as a box, or None when none is set."""
    if settings.secret_key_file is not None:
        try:
            text = settings.secret_key_file.read_text(encoding="utf-8")
        except OSError as exc:
            raise ConfigError(
                _("TEJIDO_SECRET_KEY_FILE cannot be read: {error}", error=exc.strerror)
            ) from None
        keys = text.split()
    elif settings.secret_key is not None:
        keys = settings.secret_key.get_secret_value().replace(",", " ").split()
    else:
        return None
    if not keys:
        raise ConfigError(_("TEJIDO_SECRET_KEY is empty"))
    return SecretBox(keys)


def required_box(settings: Settings) -> SecretBox:
    """The box, or the error that says webhooks need a key."""
    box = secret_box(settings)
    if box is None:
        raise ConfigError(
            _(
                "webhooks need TEJIDO_SECRET_KEY (or TEJIDO_SECRET_KEY_FILE) to seal their "
                "secrets at rest; make a key with: {command}",
                command=NEW_KEY_COMMAND,
            )
        )
    return box


async def check_webhook_secrets(store: Store, settings: Settings, rotate: bool = False) -> int:
    """At start: when any webhook is set, the key must be there and open every secret; a secret
    still in clear (set before secrets were sealed) is sealed now. With `rotate`, every secret is
    sealed again with the first key. How many secrets were (re)sealed."""
    secret_box(settings)  # a malformed key fails even before any webhook is set
    hooks = await store.operator_read("warning_webhooks")
    if not hooks:
        return 0
    box = required_box(settings)
    changed = 0
    for hook in hooks:
        org, sealed = hook["org"], hook["sealed_secret"]
        if sealed is None and hook["plain_secret"] is not None:
            sealed = box.seal(str(hook["plain_secret"]))
        elif sealed is not None and rotate:
            sealed = box.reseal(str(sealed), org)
        elif sealed is not None:
            box.open(str(sealed), org)  # a wrong key fails now, not at the first delivery
            continue
        else:
            continue
        await store.write("seal_webhook_secret", org=org, sealed_secret=sealed)
        changed += 1
    if changed:
        log.info("webhook secrets sealed", count=changed)
    return changed
