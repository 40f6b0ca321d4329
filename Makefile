# The commands the README names. Everything installs into .venv from PyPI (and, for the tests,
# Neo4j from Maven Central and Neo4j's Cypher linter from npm).
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
# The two seed organizations the demo keys act for (see seed_data/README.md).
DEMO_ORG_1 ?= org-000037
DEMO_ORG_2 ?= org-000019

.PHONY: i18n install run test test-fast test-wheel check lint bench bench-api bench-peer bench-analytics bench-mixed bench-xref bench-warnings bench-embed tools vendor screenshots clean

$(BIN)/tejido: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

install: $(BIN)/tejido

# Load the seed into the embedded database, print two demo keys, serve on 127.0.0.1:8000.
run: install
	$(BIN)/tejido load seed_data --no-progress
	$(BIN)/tejido xref --no-progress
	$(BIN)/tejido keys create --org $(DEMO_ORG_1) --role analyst --clearance RED --note demo
	$(BIN)/tejido keys create --org $(DEMO_ORG_2) --role reader --clearance AMBER --note demo
	$(BIN)/tejido serve --host 127.0.0.1 --port 8000

# Java 17 + Maven start the real Neo4j the suite tests against; Node runs Neo4j's linter;
# Debian's Chromium is the browser Playwright drives (it cannot download its own here).
tools:
	@command -v java >/dev/null && command -v mvn >/dev/null || \
	  (apt-get update -qq && apt-get install -y -qq openjdk-17-jdk-headless maven)
	@command -v node >/dev/null && command -v npm >/dev/null || \
	  (apt-get update -qq && apt-get install -y -qq nodejs npm)
	@command -v chromium >/dev/null || \
	  (apt-get update -qq && apt-get install -y -qq chromium)

# Cytoscape.js for the embed page and GraphiQL (with React) for /graphql, pinned in
# tools/{cytoscape,graphiql}/package-lock.json. The copies are committed, so only whoever bumps a
# version runs this; the service never fetches them and no page loads anything from elsewhere.
VENDOR := service/embed/static/vendor
GRAPHIQL_VENDOR := service/graphiql/static/vendor
vendor:
	cd tools/cytoscape && npm ci --no-audit --no-fund
	mkdir -p $(VENDOR)
	cp tools/cytoscape/node_modules/cytoscape/dist/cytoscape.min.js $(VENDOR)/cytoscape.min.js
	cp tools/cytoscape/node_modules/cytoscape/LICENSE $(VENDOR)/LICENSE-cytoscape
	cd tools/graphiql && npm ci --no-audit --no-fund
	mkdir -p $(GRAPHIQL_VENDOR)
	cp tools/graphiql/node_modules/react/umd/react.production.min.js $(GRAPHIQL_VENDOR)/
	cp tools/graphiql/node_modules/react-dom/umd/react-dom.production.min.js $(GRAPHIQL_VENDOR)/
	cp tools/graphiql/node_modules/graphiql/graphiql.min.js $(GRAPHIQL_VENDOR)/
	cp tools/graphiql/node_modules/graphiql/graphiql.min.css $(GRAPHIQL_VENDOR)/
	cp tools/graphiql/node_modules/react/LICENSE $(GRAPHIQL_VENDOR)/LICENSE-react
	cp tools/graphiql/node_modules/graphiql/LICENSE $(GRAPHIQL_VENDOR)/LICENSE-graphiql

test: install tools
	$(BIN)/python -m pytest

# The tests that need no database (marked `db` by tests/conftest.py) and are not slow: seconds.
test-fast: install
	$(BIN)/python -m pytest -m "not db and not slow"

# Build the wheel, install it into a new environment outside the checkout and run the CLI, API
# and backup tests against it (tools/test-installed-wheel; CI runs it after `make check`).
test-wheel: install tools
	PYTHON=$(PYTHON) tools/test-installed-wheel

lint: install
	$(BIN)/ruff format --check service tests benchmarks
	$(BIN)/ruff check service tests benchmarks
	$(BIN)/mypy service

check: lint test

bench: install tools
	$(BIN)/python benchmarks/load_throughput.py --scale 10 --runs 3

# GraphQL against bare FastAPI endpoints running the same Cypher, over HTTP on loopback.
bench-analytics: install
	$(BIN)/python benchmarks/analytics.py --scale 10 --runs 5

# Dashboards reading analytics while writes arrive once a second; the service's memory.
bench-mixed: install
	$(BIN)/python benchmarks/mixed_load.py --scale 10 --seconds 60

bench-warnings: install
	$(BIN)/python benchmarks/warnings.py --scale 10

bench-xref: install
	$(BIN)/python benchmarks/xref.py --quality
	$(BIN)/python benchmarks/xref.py --scales 10 --runs 3

bench-api: install
	$(BIN)/python benchmarks/api_throughput.py --scale 10 --runs 3

# Tejido against the official @neo4j/graphql on one Neo4j (benchmarks/peer/, npm ci), with wrk.
bench-peer: install tools
	@command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(BIN)/python benchmarks/peer_bench.py --scale 10 --seconds 20 --rounds 3

# Time to first render of the embed page in headless Chromium, ~200 and ~2,000 nodes.
bench-embed: install tools
	$(BIN)/python benchmarks/embed_render.py --runs 5

# docs/screenshots/: one PNG per embed view on the seed data.
screenshots: install tools
	$(BIN)/python benchmarks/embed_render.py --screenshots docs/screenshots

clean:
	rm -rf $(VENV) tests/neo4j/target tests/cypher_lint/node_modules tools/cytoscape/node_modules \
	  tools/graphiql/node_modules

# Extract every marked message (service/i18n) and bring both catalogs up to date; then fill in
# the new msgstr lines. tests/i18n/test_catalogs.py fails while one is missing.
I18N := service/i18n
i18n: install
	mkdir -p build
	$(BIN)/pybabel -q extract -F babel.cfg -k _ -k N_ -k gettext -k ngettext:1,2 -k Nn_:1,2 \
	  --no-location --sort-output --project Tejido -o build/tejido.pot .
	for lang in es en; do \
	  test -f $(I18N)/locale/$$lang/LC_MESSAGES/tejido.po || \
	    $(BIN)/pybabel -q init -D tejido -i build/tejido.pot -d $(I18N)/locale -l $$lang; \
	  $(BIN)/pybabel -q update -D tejido -i build/tejido.pot -d $(I18N)/locale -l $$lang \
	    --no-fuzzy-matching --ignore-obsolete; \
	  sed -i '/^"POT-Creation-Date\|^"PO-Revision-Date/d' $(I18N)/locale/$$lang/LC_MESSAGES/tejido.po; \
	done
