"""The `tejido` command line on the embedded database: load, stats, keys, reset, generate."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from service.cli import main

SEED = Path(__file__).resolve().parents[1] / "seed_data"

# Each command starts an embedded FalkorDB of its own, which conftest cannot see in the fixtures.
pytestmark = pytest.mark.db


@pytest.fixture
def tejido(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("TEJIDO_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("TEJIDO_GRAPH_URI", raising=False)
    return CliRunner()


def stats(runner: CliRunner) -> dict[str, dict[str, int]]:
    result = runner.invoke(main, ["stats", "--json"])
    assert result.exit_code == 0, result.output
    counts: dict[str, dict[str, int]] = json.loads(result.stdout)
    return counts


def test_load_stats_reset(tejido: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "small"
    assert (
        tejido.invoke(
            main, ["generate", "--out", str(out), "--scale", "0.2", "--seed", "5"]
        ).exit_code
        == 0
    )
    loaded = tejido.invoke(main, ["load", str(out), "--no-progress"])
    assert loaded.exit_code == 0, loaded.output
    counts = stats(tejido)
    actors = sum(1 for _ in (out / "actors.csv").open(encoding="utf-8")) - 1
    assert counts["labels"]["Actor"] == actors
    again = tejido.invoke(main, ["load", str(out), "--no-progress"])
    assert "0 new or changed" in again.stdout
    assert stats(tejido) == counts
    derived = tejido.invoke(main, ["derive-access"])  # every placing tie, nothing else changed
    placing = counts["relationships"]["OPERATES_IN"] + counts["relationships"]["OCCURRED_IN"]
    assert f"derived the access of {placing} placing ties" in derived.stdout, derived.output
    assert stats(tejido) == counts
    assert tejido.invoke(main, ["reset"]).exit_code == 2  # needs --yes
    assert tejido.invoke(main, ["reset", "--yes"]).exit_code == 0
    assert stats(tejido) == {"labels": {}, "relationships": {}}


def test_a_bad_row_exits_3_with_its_place_and_writes_nothing(
    tejido: CliRunner, tmp_path: Path
) -> None:
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "organizations.csv").write_text(
        "id,name,kind,tlp,owner\norg-1,Uno,ngo,GREEN,org-1\norg-2,Dos,club,GREEN,org-1\n",
        encoding="utf-8",
    )
    result = tejido.invoke(main, ["load", str(bad), "--no-progress"])
    assert result.exit_code == 3
    assert "organizations.csv:3: kind: 'club' is not one of" in result.stderr
    assert stats(tejido)["labels"] == {}


def test_keys_create_list_revoke(tejido: CliRunner) -> None:
    assert tejido.invoke(main, ["load", str(SEED), "--no-progress"]).exit_code == 0
    created = tejido.invoke(
        main, ["keys", "create", "--org", "org-000037", "--role", "analyst", "--clearance", "RED"]
    )
    assert created.exit_code == 0, created.output
    key = created.stdout.strip().splitlines()[-1]
    assert key.startswith("tjd_")
    key_id = key.split("_")[1]
    listed = json.loads(tejido.invoke(main, ["keys", "list", "--json"]).stdout)
    assert [(k["id"], k["org"], k["revoked_at"]) for k in listed] == [(key_id, "org-000037", None)]
    assert key not in json.dumps(listed)  # the secret is never stored or shown again
    assert tejido.invoke(main, ["keys", "revoke", key_id]).exit_code == 0
    assert json.loads(tejido.invoke(main, ["keys", "list", "--json"]).stdout)[0]["revoked_at"]
    unknown = tejido.invoke(main, ["keys", "create", "--org", "org-nope"])
    assert unknown.exit_code == 3 and "names no organization" in unknown.stderr


def test_xref_proposes_once_and_prints_candidates(tejido: CliRunner) -> None:
    loaded = tejido.invoke(main, ["load", str(SEED), "--no-progress"])
    assert loaded.exit_code == 0, loaded.output
    before = stats(tejido)["relationships"]["SAME_AS"]
    dry = tejido.invoke(main, ["xref", "--json", "--dry-run", "--no-progress"])
    assert dry.exit_code == 0, dry.output
    candidates = json.loads(dry.stdout)
    assert candidates and stats(tejido)["relationships"]["SAME_AS"] == before
    labels = {c["label"] for c in candidates}
    assert labels == {"Case", "Defender", "Incident"}
    for c in candidates:
        assert 0 < c["score"] <= 1 and c["left"] < c["right"]
        assert {a["field"] for a in c["explanation"]}
    first = tejido.invoke(main, ["xref", "--no-progress"])
    assert first.exit_code == 0, first.output
    written = stats(tejido)["relationships"]["SAME_AS"]
    # Only pairs that a holder may be told of are proposed (docs/cross-referencing.md).
    proposed = int(first.output.split("proposals written: ")[1].split(";")[0])
    assert 0 < proposed < len(candidates)
    assert written == before + proposed
    again = tejido.invoke(main, ["xref", "--no-progress"])
    assert again.exit_code == 0 and stats(tejido)["relationships"]["SAME_AS"] == written
