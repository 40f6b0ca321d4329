"""Settings: one object, read from the environment (prefix TEJIDO_) once and passed down."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal, TypeVar

import limits
import yaml
from platformdirs import user_data_dir
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import ErrorDetails
from pydantic_settings import BaseSettings, SettingsConfigDict

from service.errors import ConfigError
from service.i18n import _
from service.i18n.validation import pydantic_message


def _checked_rate(rate: str) -> str:
    try:
        limits.parse(rate)
    except ValueError as exc:
        raise ValueError(
            _("{rate} is not a rate such as '600/minute' ({error})", rate=repr(rate), error=exc)
        ) from None
    return rate


# A rate in the `limits` notation ("600/minute", "10 per second"), checked as it is read.
Rate = Annotated[str, AfterValidator(_checked_rate)]


class Settings(BaseSettings):
    """Everything Tejido can be told from outside. Bad values fail at start, naming the variable."""

    model_config = SettingsConfigDict(env_prefix="TEJIDO_", extra="ignore")

    # Which database: unset = the embedded FalkorDB under data_dir; neo4j://, neo4j+s://,
    # bolt://, bolt+s:// = Neo4j 5; falkordb://host:port = an external FalkorDB server.
    graph_uri: str | None = None
    # Where the embedded database keeps its files (append-only log and snapshots).
    data_dir: Path = Field(default_factory=lambda: Path(user_data_dir("tejido")))
    # The FalkorDB graph (key) that holds Tejido's data; tests use their own.
    graph_name: str = "tejido"
    # Neo4j credentials and database; the password is a secret and never logged.
    neo4j_user: str = "neo4j"
    neo4j_password: SecretStr | None = None
    # Or a file holding `user/password`, Neo4j's own NEO4J_AUTH format (a Compose or Kubernetes
    # secret): read at start, it sets both and keeps the password out of the environment.
    neo4j_auth_file: Path | None = None
    neo4j_database: str = "neo4j"
    # Time budget of one read statement and of one write statement (one batch), in seconds.
    read_timeout_s: float = Field(default=30.0, gt=0)
    # How long the API remembers who an API key stands for, in seconds: a revoked key, or a
    # change to its organization's networks, takes effect within this time. 0: look the key up
    # in the database on every request.
    key_cache_s: float = Field(default=5.0, ge=0, le=300)
    # Time budget of one API request, all its statements together.
    request_timeout_s: float = Field(default=30.0, gt=0)
    # Largest request body accepted, in bytes; larger ones get 413 before they are read.
    max_body_bytes: int = Field(default=1024 * 1024, ge=1024)
    # Requests per API key, and analytics fields (influencePaths, shadowPower, ...) per key,
    # in the `limits` notation ("600/minute", "10 per second"). Past them: 429, Retry-After.
    rate_limit: Rate = "600/minute"
    analytics_rate_limit: Rate = "60/minute"
    # Where the counts live: memory:// keeps them in this process, so every worker and replica
    # counts on its own (N replicas allow N times the limit); redis://host:port shares them.
    rate_limit_storage: str = "memory://"
    # GraphiQL on GET /graphql; switch off in production if you prefer.
    graphiql: bool = True
    write_timeout_s: float = Field(default=300.0, gt=0)
    # Rows per UNWIND batch when loading; FalkorDB was measured fastest around 10k.
    batch_size: int = Field(default=5000, ge=1, le=100_000)
    # A load of at most this many rows is one transaction on Neo4j (all or nothing even if the
    # database fails midway); larger ones commit batch by batch, as FalkorDB always does,
    # because one huge transaction exhausts Neo4j's transaction memory.
    atomic_load_rows: int = Field(default=50_000, ge=0)
    # Weights of the scores (docs/methodology.md); unset: service/analytics/weights.yaml.
    weights_file: Path | None = None
    # The language of every text a person reads when the request (lang=, Accept-Language) or the
    # command says nothing: es or en.
    language: Literal["es", "en"] = "es"
    # development: readable console logs; production: JSON logs.
    env: Literal["development", "production"] = "development"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    # GET /metrics (Prometheus) answers only with `Authorization: Bearer <this>`; unset: 404.
    metrics_token: SecretStr | None = None
    # /healthz turns 503 once the database has not answered for this long, so that a
    # supervisor restarts a process that cannot recover on its own.
    unhealthy_after_s: float = Field(default=30.0, gt=0)
    # OpenTelemetry traces go to this OTLP/HTTP endpoint (needs `pip install tejido[otel]`).
    otel_endpoint: str | None = None
    # Signs embed tokens (HS256). Unset: a random key is made once and kept in the database, so
    # every worker and replica accepts the same tokens. Changing it invalidates every token.
    embed_signing_key: SecretStr | None = None
    # Warnings (docs/warnings.md): how often `serve` evaluates every watch for thresholds that
    # time alone can cross (0: never; writes still evaluate them), and how often it looks for
    # webhook deliveries due (writes also wake it).
    warnings_interval_s: float = Field(default=300.0, ge=0)
    webhook_poll_s: float = Field(default=5.0, gt=0)
    # The first retry of a failed delivery waits this long, each next one twice as long, up to
    # an hour; a delivery is retried until it succeeds (at least once).
    webhook_backoff_s: float = Field(default=5.0, gt=0)
    # A worker takes due deliveries for this long; if it dies meanwhile, another sends them
    # once the lease runs out.
    webhook_lease_s: float = Field(default=120.0, gt=0)
    # Hosts or networks (CIDR) a webhook may reach although they are not public addresses
    # (loopback, private, link-local): by default none, against server-side request forgery.
    webhook_allow: list[str] = Field(default_factory=list)
    # Seals the webhooks' signing secrets in the database (Fernet keys; several, comma-separated:
    # the first seals, each opens, for rotation). Or a file with one key per line. Needed as soon
    # as an organization sets a webhook (docs/warnings.md).
    secret_key: SecretStr | None = None
    secret_key_file: Path | None = None

    @field_validator("embed_signing_key")
    @classmethod
    def _long_enough(cls, key: SecretStr | None) -> SecretStr | None:
        if key is not None and len(key.get_secret_value()) < MIN_SIGNING_KEY_CHARS:
            raise ValueError(
                _(
                    "TEJIDO_EMBED_SIGNING_KEY must be at least {count} characters",
                    count=MIN_SIGNING_KEY_CHARS,
                )
            )
        return key

    @model_validator(mode="after")
    def _read_auth_file(self) -> Settings:
        if self.neo4j_auth_file is None:
            return self
        try:
            text = self.neo4j_auth_file.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ValueError(
                _("TEJIDO_NEO4J_AUTH_FILE cannot be read: {error}", error=exc.strerror)
            ) from None
        user, sep, password = text.partition("/")
        if not sep or not user or not password:
            raise ValueError(_("TEJIDO_NEO4J_AUTH_FILE must hold user/password"))
        self.neo4j_user, self.neo4j_password = user, SecretStr(password)
        return self

    @property
    def longest_statement_ms(self) -> int:
        """The embedded database's ceiling on one statement: the longer of the two budgets (it
        refuses any statement asking for more, so a read budget above the write budget would
        otherwise fail every read)."""
        return int(max(self.read_timeout_s, self.write_timeout_s) * 1000)

    @field_validator("graph_uri")
    @classmethod
    def _known_scheme(cls, uri: str | None) -> str | None:
        if not uri:
            return None
        scheme = uri.split("://", 1)[0]
        if scheme not in GRAPH_SCHEMES:
            known = ", ".join(sorted(GRAPH_SCHEMES))
            raise ValueError(
                _(
                    "unknown scheme {scheme} in TEJIDO_GRAPH_URI (known: {known})",
                    scheme=repr(scheme),
                    known=known,
                )
            )
        return uri


MIN_SIGNING_KEY_CHARS = 32  # HS256 wants a key at least as long as its 256-bit output
NEO4J_SCHEMES = frozenset({"neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s", "bolt+ssc"})
GRAPH_SCHEMES = NEO4J_SCHEMES | {"falkordb"}


class StrictSection(BaseModel):
    """A part of a configuration file. An unknown key is refused: a misspelt one would
    otherwise be ignored and its default silently used."""

    model_config = ConfigDict(extra="forbid", frozen=True)


Section = TypeVar("Section", bound=StrictSection)


def read_config_file(path: Path, model: type[Section]) -> Section:
    """The YAML file at `path` read through `model`; a ConfigError names the file and each
    bad key (as a dotted path) with what is wrong with it."""
    try:
        return model.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(_("{path}: cannot be read: {error}", path=path, error=exc)) from exc
    except ValidationError as exc:
        problems = "; ".join(map(_problem, exc.errors()))
        raise ConfigError(f"{path}: {problems}") from exc


def _problem(error: ErrorDetails) -> str:
    where = ".".join(map(str, error["loc"])) or _("(the whole file)")
    return f"{where}: {pydantic_message(error)}"
