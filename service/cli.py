"""The `tejido` command: serve, load, xref, generate, stats, reset, keys, embed, export."""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import json
import os
import sys
from collections.abc import Callable, Coroutine, Mapping
from pathlib import Path
from typing import Any, TypeVar

import click
from pydantic import ValidationError
from tqdm import tqdm

from service.access import Role, Tlp
from service.config import Settings
from service.errors import ConfigError, StoreUnavailable, TejidoError
from service.i18n import N_, _, set_default_language
from service.i18n.cli_texts import Group, Option, option, speak_click
from service.i18n.validation import pydantic_message
from service.logs import configure_logging
from service.placement import derive_place_access
from service.store import Store, open_store

T = TypeVar("T")
RESET_BATCH = 10_000


def _settings() -> Settings:
    try:
        return Settings()
    except ValidationError as exc:
        problems = "; ".join(
            f"TEJIDO_{'_'.join(map(str, e['loc'])).upper()}: {pydantic_message(e)}"
            for e in exc.errors()
        )
        raise ConfigError(_("bad configuration: {problems}", problems=problems)) from None


def handle_errors(command: Callable[..., T]) -> Callable[..., T]:
    """One place that turns expected errors into a message and the documented exit code."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> T:
        try:
            return command(*args, **kwargs)
        except TejidoError as exc:
            click.echo(_("error: {error}", error=exc), err=True)
            if isinstance(exc, StoreUnavailable) and exc.detail:
                click.echo(exc.detail, err=True)  # the operator's: where, and what the driver said
            sys.exit(exc.exit_code)

    return wrapper


def run_with_store(
    work: Callable[[Store], Coroutine[Any, Any, T]], settings: Settings | None = None
) -> T:
    settings = settings or _settings()

    async def main() -> T:
        async with open_store(settings) as store:
            return await work(store)

    return asyncio.run(main())


class _Tejido(Group):
    """The command, in TEJIDO_LANGUAGE (or LANG) from the first word it prints: its help and
    usage errors come before any command runs."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        set_default_language(cli_language(os.environ))
        speak_click()
        return super().main(*args, **kwargs)


@click.group(cls=_Tejido)
@click.version_option(package_name="tejido", cls=Option, help=N_("Show the version and exit."))
def main() -> None:
    """Tejido: power and actor intelligence for the protection of human rights defenders."""
    configure_logging()
    set_default_language(cli_language(os.environ))


def cli_language(env: Mapping[str, str]) -> str | None:
    """TEJIDO_LANGUAGE, else the locale's language (LC_ALL, LC_MESSAGES, LANG: es_HN.UTF-8)."""
    for name in ("TEJIDO_LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        if env.get(name):
            return env[name].split(".")[0]
    return None


@main.command()
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@option(
    "--mapping",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="YAML mapping that turns a third-party table (PATH) into Tejido records.",
)
@option(
    "--batch-size",
    type=click.IntRange(1, 100_000),
    default=None,
    help="Rows per UNWIND batch (default: TEJIDO_BATCH_SIZE).",
)
@option("--progress/--no-progress", default=True, help="Show a progress bar.")
@handle_errors
def load(path: Path, mapping: Path | None, batch_size: int | None, progress: bool) -> None:
    """Load a folder in the interchange format, or a table with --mapping.

    Everything is validated first; on any problem nothing is written and every problem is
    listed as file:line: column: what is wrong.
    """
    from service.ingest.load import load_folder

    settings = _settings()
    size = batch_size or settings.batch_size
    bar: tqdm[Any] | None = None

    def start_bar(plan: Any) -> None:
        nonlocal bar
        bar = tqdm(total=plan.size, unit="row", disable=not progress, file=sys.stderr)

    def advance(rows: int) -> None:
        if bar is not None:
            bar.update(rows)

    async def work(store: Store) -> Any:
        if mapping is None:
            return await load_folder(
                store, path, size, advance, start_bar, settings.atomic_load_rows
            )
        from service.ingest.mapped import load_mapped  # needs the mapping module only here

        return await load_mapped(
            store,
            path,
            mapping,
            size,
            progress=advance,
            on_plan=start_bar,
            atomic_rows=settings.atomic_load_rows,
        )

    try:
        report = run_with_store(work, settings)
    finally:
        if bar is not None:
            bar.close()
    for name, count in sorted(report.rows.items()):
        click.echo(f"{name}: {count}")
    click.echo(
        _(
            "loaded {rows} rows, {changed} new or changed, in {seconds} s",
            rows=sum(report.rows.values()),
            changed=report.changed,
            seconds=f"{report.seconds:.1f}",
        )
    )


@main.command()
@option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@handle_errors
def stats(as_json: bool) -> None:
    """Count the records per label and the relationships per type in the whole graph."""

    async def work(store: Store) -> dict[str, dict[str, int]]:
        labels = await store.operator_read("count_labels")
        types = await store.operator_read("count_relationship_types")
        return {
            "labels": {r["label"]: int(r["count"]) for r in labels},
            "relationships": {r["type"]: int(r["count"]) for r in types},
        }

    counts = run_with_store(work)
    if as_json:
        click.echo(json.dumps(counts, indent=2, sort_keys=True))
        return
    titles = {"labels": _("records per label"), "relationships": _("relationships per type")}
    for section, values in counts.items():
        click.echo(f"{titles[section]} ({sum(values.values())})")
        for name, count in sorted(values.items()):
            click.echo(f"  {name:<20} {count:>9}")


@main.command()
@option(
    "--threshold",
    type=click.FloatRange(0, 1),
    default=None,
    help="Propose pairs scoring this or more, for every label [default: per label, in "
    "service/xref/matching.yaml].",
)
@option(
    "--date-tolerance",
    type=click.IntRange(0),
    default=None,
    help="Days two incident dates may differ.",
)
@option("--json", "as_json", is_flag=True, help="Print every candidate pair as JSON.")
@option("--dry-run", is_flag=True, help="Find candidates but write no proposals.")
@option("--progress/--no-progress", default=True, help="Show a progress bar on stderr.")
@handle_errors
def xref(
    threshold: float | None,
    date_tolerance: int | None,
    as_json: bool,
    dry_run: bool,
    progress: bool,
) -> None:
    """Match cases, defenders and incidents across holders; write SAME_AS proposals."""
    from service.xref.compare import default_rules
    from service.xref.workflow import run_xref

    rules = default_rules().with_overrides(threshold=threshold, date_tolerance_days=date_tolerance)
    with tqdm(unit="pair", disable=not progress, file=sys.stderr) as bar:
        outcome = run_with_store(lambda store: run_xref(store, rules, bar, write=not dry_run))
    if as_json:
        click.echo(json.dumps([c.as_dict() for c in outcome.candidates], indent=2))
    by_label = {
        label: sum(c.label == label for c in outcome.candidates)
        for label in ("Case", "Defender", "Incident")
    }
    click.echo(
        _(
            "compared {pairs} pairs; candidates: {candidates}; proposals written: {proposed}; "
            "already judged: {judged}",
            pairs=len(outcome.compared),
            candidates=", ".join(f"{label} {n}" for label, n in by_label.items()),
            proposed=outcome.proposed,
            judged=outcome.judged,
        ),
        err=as_json,
    )


@main.command("derive-access")
def derive_access() -> None:
    """Derive again the access tokens of every tie that places a record (docs/access.md).

    Writes do this for what they touch; run it once after upgrading from a version without
    derived place access, or after a write was cut off between closing and deriving."""

    async def work(store: Store) -> int:
        return await derive_place_access(store)

    click.echo(_("derived the access of {count} placing ties", count=run_with_store(work)))


@main.command()
@option("--yes", is_flag=True, help="Confirm that everything in the graph is deleted.")
@handle_errors
def reset(yes: bool) -> None:
    """Delete every record and relationship in the graph (keeps the schema)."""
    if not yes:
        raise click.UsageError(_("reset deletes everything in the graph: add --yes to confirm"))

    async def work(store: Store) -> int:
        total = 0
        while deleted := int((await store.write("delete_some", limit=RESET_BATCH))[0]["deleted"]):
            total += deleted
        return total

    click.echo(_("deleted {count} nodes", count=run_with_store(work)))


@main.command()
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@handle_errors
def backup(path: Path) -> None:
    """Write the whole graph to PATH (a .tar.gz), while it serves (docs/deployment.md)."""
    from service.backup import backup as run_backup

    done = asyncio.run(run_backup(_settings(), path))
    click.echo(
        _("backed up {nodes} nodes and {relationships} relationships to {path}").format(
            nodes=done.nodes, relationships=done.relationships, path=path
        )
    )


@main.command()
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@handle_errors
def restore(path: Path) -> None:
    """Restore a backup: the embedded database is replaced whole (stop `serve` first); any
    other database must be empty (`tejido reset --yes`)."""
    from service.backup import restore as run_restore

    done = asyncio.run(run_restore(_settings(), path))
    click.echo(
        _("restored {nodes} nodes and {relationships} relationships from {path}").format(
            nodes=done.nodes, relationships=done.relationships, path=path
        )
    )


@main.command()
@option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder to write the interchange CSV files to.",
)
@option(
    "--scale",
    type=click.FloatRange(min=0.01),
    default=1.0,
    show_default=True,
    help="1 = the seed's size (about 1k records); 100 = about 100k nodes, 1M links.",
)
@option(
    "--seed",
    type=int,
    default=2017,
    show_default=True,
    help="Random seed; the same scale and seed always write the same files.",
)
@option(
    "--noise",
    type=click.Choice(["standard", "harsh"]),
    default="standard",
    show_default=True,
    help="How differently holders record the same case (harsh: a second labelled set).",
)
@option(
    "--profile",
    type=click.Choice(["standard", "hub"]),
    default="standard",
    show_default=True,
    help="hub: one actor tied to nearly every other record (750+ ties at --scale 3).",
)
@handle_errors
def generate(out: Path, scale: float, seed: int, noise: str, profile: str) -> None:
    """Write a fictional dataset in the interchange format, at any size."""
    from service.generate import write_dataset

    counts = write_dataset(out, scale=scale, seed=seed, noise=noise, profile=profile)
    for name, count in sorted(counts.items()):
        click.echo(f"{name}: {count}")


@main.command()
@option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@option("--port", type=int, default=8000, show_default=True, help="Port to listen on.")
@option(
    "--workers",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Worker processes (they share the database and are stateless).",
)
@handle_errors
def serve(host: str, port: int, workers: int) -> None:
    """Run the GraphQL API with uvicorn."""
    from service.api.serve import run
    from service.warnings.sealing import check_webhook_secrets

    settings = _settings()
    # Webhooks set without a key that opens their secrets: a clear error now, not at delivery.
    run_with_store(lambda store: check_webhook_secrets(store, settings), settings)
    run(settings, host, port, workers)


def _in(lifetime: dt.timedelta) -> str:
    return (dt.datetime.now(dt.UTC) + lifetime).isoformat(timespec="seconds")


def _echo_rows(
    rows: list[dict[str, Any]], as_json: bool, line: Callable[[dict[str, Any]], str]
) -> None:
    """A list command's output: JSON, or one line per row."""
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    for row in rows:
        click.echo(line(row))


@main.group()
def keys() -> None:
    """Create, list and revoke API keys (stored hashed in the graph database)."""


@keys.command("create")
@option("--org", required=True, help="Id of the organization the key acts for.")
@option(
    "--role",
    type=click.Choice([r.value for r in Role]),
    default="reader",
    show_default=True,
    help="reader reads; analyst also writes; admin manages keys.",
)
@option(
    "--clearance",
    type=click.Choice([t.value for t in Tlp]),
    default="GREEN",
    show_default=True,
    help="The highest TLP marking the key may read.",
)
@option("--note", default="", help="A word about who holds the key (shown in lists).")
@option(
    "--expires-in",
    default=None,
    metavar="DURATION",
    help="Lifetime: 90m, 12h, 90d, 2w (at most 366 days); default: never expires.",
)
@handle_errors
def keys_create(org: str, role: str, clearance: str, note: str, expires_in: str | None) -> None:
    """Create a key; the key itself is printed once, as the last line."""
    from service.embed.tokens import parse_duration
    from service.keys import create_key

    lifetime = parse_duration(expires_in) if expires_in else None
    new = run_with_store(
        lambda store: create_key(store, org, Role(role), Tlp(clearance), note, lifetime)
    )
    header = _(
        "key {id} for {org} ({role}, clearance {clearance}):",
        id=new.id,
        org=org,
        role=role,
        clearance=clearance,
    )
    if lifetime:
        header = _("{key}; expires {when}", key=header.rstrip(":"), when=_in(lifetime)) + ":"
    click.echo(header)
    click.echo(new.key)


@keys.command("list")
@option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@handle_errors
def keys_list(as_json: bool) -> None:
    """List the keys (ids, organizations, roles; never the secrets)."""
    from service.keys import expired, list_keys

    def line(row: dict[str, Any]) -> str:
        if row["revoked_at"]:
            state = _("revoked {when}", when=row["revoked_at"])
        elif expired(row["expires_at"]):
            state = _("expired {when}", when=row["expires_at"])
        elif row["expires_at"]:
            state = _("active until {when}", when=row["expires_at"])
        else:
            state = _("active")
        used = (
            _("last used {when}", when=row["last_used_at"])
            if row["last_used_at"]
            else _("never used")
        )
        who = f"{row['org']:<12} {row['role']:<8} {row['clearance']:<13}"
        return f"{row['id']}  {who} {state}, {used}  {row['note'] or ''}"

    _echo_rows(run_with_store(list_keys), as_json, line)


@keys.command("revoke")
@click.argument("key_id")
@handle_errors
def keys_revoke(key_id: str) -> None:
    """Revoke a key by its id; requests with it get 401 from then on."""
    from service.keys import revoke_key

    run_with_store(lambda store: revoke_key(store, key_id))
    click.echo(_("revoked {id}", id=key_id))


def _params(values: tuple[str, ...]) -> dict[str, str]:
    """--param NAME=VALUE, repeated."""
    params = {}
    for value in values:
        name, sep, text = value.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(
                _("{value} is not NAME=VALUE", value=repr(value)), param_hint="--param"
            )
        params[name.strip()] = text.strip()
    return params


_VIEW = option(
    "--view",
    type=click.Choice(["collusion", "paths", "neighbourhood", "powermap"]),
    required=True,
    help="collusion/powermap: territory; paths: from, to, k; neighbourhood: id, hops, types.",
)
_PARAM = option(
    "--param", "params", multiple=True, metavar="NAME=VALUE", help="A view argument; repeat it."
)
_MAX_TLP = option(
    "--max-tlp",
    type=click.Choice([t.value for t in Tlp]),
    default="GREEN",
    show_default=True,
    help="The highest marking shown.",
)


@main.group()
def embed() -> None:
    """Create, list and revoke embed tokens: signed links to one view (docs/embedding.md)."""


@embed.command("create")
@option("--org", required=True, help="Id of the organization whose access the view uses.")
@_VIEW
@_PARAM
@_MAX_TLP
@option("--expires", default="30d", show_default=True, help="Lifetime: 90m, 12h, 30d, 2w.")
@option(
    "--frame-ancestors",
    default="",
    metavar="ORIGINS",
    help="Origins allowed to frame the view, comma separated (default: none).",
)
@handle_errors
def embed_create(
    org: str, view: str, params: tuple[str, ...], max_tlp: str, expires: str, frame_ancestors: str
) -> None:
    """Create an embed token; the embed path /embed/<token> is printed as the last line."""
    from service.embed.tokens import create_embed, parse_duration

    settings = _settings()
    origins = [o.strip() for o in frame_ancestors.replace(" ", ",").split(",") if o.strip()]
    new = run_with_store(
        lambda store: create_embed(
            store,
            settings,
            org,
            view,
            _params(params),
            creator_clearance=Tlp.RED,
            created_by="cli",
            max_tlp=Tlp(max_tlp),
            expires_in=parse_duration(expires),
            frame_ancestors=origins,
        ),
        settings,
    )
    click.echo(
        _(
            "embed {id} of {view} for {org}, up to {max_tlp}, expires {expires}:",
            id=new.id,
            view=view,
            org=org,
            max_tlp=max_tlp,
            expires=new.expires_at,
        )
    )
    click.echo(new.path)


@embed.command("list")
@option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@handle_errors
def embed_list(as_json: bool) -> None:
    """List the embed tokens (never the signed tokens themselves)."""
    from service.embed.tokens import list_embeds

    def line(row: dict[str, Any]) -> str:
        revoked, expires = row["revoked_at"], row["expires_at"]
        state = _("revoked {when}", when=revoked) if revoked else _("expires {when}", when=expires)
        params = ",".join(f"{k}={v}" for k, v in row["params"].items() if v)
        return (
            f"{row['id']}  {row['org']:<12} {row['view']:<13} {row['max_tlp']:<6} {state}  {params}"
        )

    _echo_rows(run_with_store(list_embeds), as_json, line)


@embed.command("revoke")
@click.argument("embed_id")
@handle_errors
def embed_revoke(embed_id: str) -> None:
    """Revoke an embed token by its id; its page and data get 401 from then on."""
    from service.embed.tokens import revoke_embed

    run_with_store(lambda store: revoke_embed(store, embed_id))
    click.echo(_("revoked {id}", id=embed_id))


@main.command()
@option("--org", required=True, help="Id of the organization whose access the view uses.")
@_VIEW
@_PARAM
@_MAX_TLP
@option("--as-of", type=click.DateTime(["%Y-%m-%d"]), default=None, help="Default: today.")
@option("--format", "fmt", type=click.Choice(["graphml", "gexf", "json", "csv"]), required=True)
@option(
    "--out",
    type=click.Path(path_type=Path),
    required=True,
    help="The file to write; for csv a folder that gets nodes.csv and edges.csv.",
)
@handle_errors
def export(
    org: str,
    view: str,
    params: tuple[str, ...],
    max_tlp: str,
    as_of: dt.datetime | None,
    fmt: str,
    out: Path,
) -> None:
    """Write a view as an organization sees it up to --max-tlp (GraphML and GEXF for Gephi)."""
    from service.embed.export import export_view, write_view

    day = as_of.date() if as_of else dt.datetime.now(dt.UTC).date()
    found = run_with_store(
        lambda store: export_view(store, org, view, _params(params), Tlp(max_tlp), day)
    )
    for path in write_view(found, fmt, out):
        click.echo(_("wrote {path}", path=path))
    click.echo(
        _("{nodes} nodes, {edges} edges", nodes=len(found["nodes"]), edges=len(found["edges"]))
    )


@main.command("export-schema")
@option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the SDL to this file instead of printing it.",
)
def export_schema(out: Path | None) -> None:
    """Print the GraphQL schema (SDL), the contract kept in graphql/schema.graphql."""
    from service.api.schema import schema

    sdl = schema.as_str() + "\n"
    if out is None:
        click.echo(sdl, nl=False)
    else:
        out.write_text(sdl, encoding="utf-8")


@main.group("warnings")
def warnings_group() -> None:
    """Evaluate watches and deliver warnings (docs/warnings.md)."""


@warnings_group.command("run")
@option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Evaluate as of this day (default: today).",
)
@handle_errors
def warnings_run(today: dt.datetime | None) -> None:
    """Evaluate every watch once and deliver the warnings due (what `serve` does on a schedule)."""
    from service.analytics.weights import DEFAULT_WEIGHTS, load_weights
    from service.warnings.runner import run_once
    from service.warnings.sealing import check_webhook_secrets

    settings = _settings()
    weights = load_weights(settings.weights_file or DEFAULT_WEIGHTS).risk

    async def work(store: Store) -> tuple[int, int]:
        await check_webhook_secrets(store, settings)
        return await run_once(store, settings, weights, today.date() if today else None)

    recorded, delivered = run_with_store(work, settings)
    click.echo(
        _(
            "warnings recorded: {recorded}; delivered: {delivered}",
            recorded=recorded,
            delivered=delivered,
        )
    )


@warnings_group.command("rotate-key")
@handle_errors
def warnings_rotate_key() -> None:
    """Seal every webhook secret again with the first TEJIDO_SECRET_KEY (docs/warnings.md)."""
    from service.warnings.sealing import check_webhook_secrets, required_box

    settings = _settings()
    required_box(settings)
    count = run_with_store(
        lambda store: check_webhook_secrets(store, settings, rotate=True), settings
    )
    click.echo(_("webhook secrets sealed again: {count}", count=count))
