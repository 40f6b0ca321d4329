/*
 * Tejido embed page: draws one view (collusion, paths, neighbourhood, powermap) of an embed
 * token with Cytoscape.js. Everything comes from the server's own origin: the GraphView JSON at
 * {token}/data and the details of one element at {token}/element/{id}. The server has already
 * filtered both by the token's organization and marking cap; this page never asks for more.
 *
 * Record text (names, titles) is untrusted: it only ever goes into textContent, never HTML.
 */
(function () {
  "use strict";

  // The slider's first day when the server does not say where the view's history starts.
  const FIRST_DAY = "2000-01-01";
  const DAY_MS = 86400000;
  // Above this many nodes: straight edges, labels only when zoomed in, a cheaper layout.
  // Cytoscape's cose is quadratic per iteration; past a few hundred nodes it takes seconds.
  const LARGE = 400;
  // Above this many nodes the labels overlap: only big nodes keep theirs at the first zoom.
  const CROWDED = 100;
  const BIG_NODE = 48;
  const FIT_ZOOM_MAX = 1.5;
  // Slider changes from the keyboard arrive one per key press; wait for the user to settle.
  const SLIDER_DEBOUNCE_MS = 250;

  const VIEW_TITLES = {
    collusion: "Collusion network",
    paths: "Influence paths",
    neighbourhood: "Neighbourhood",
    powermap: "Power map",
  };

  // Fill colour per kind (actors) or label (other records). State kinds are blues and teals,
  // non-state kinds reds and oranges, so sector reads at a glance; the border repeats it.
  const NODE_COLOURS = {
    executive: "#1f4e9c", local_government: "#3b8bd9", police: "#0b7285",
    military: "#264653", judiciary: "#5f3dc4", prosecutor: "#7c8ee0",
    legislature: "#4d7ea8", protection_mechanism: "#2a9d8f", state: "#1f4e9c",
    organized_crime: "#c92a2a", corporation: "#e8590c", paramilitary: "#a61e4d",
    self_defense_group: "#f08c00", private_security: "#b35c00", religious_group: "#8d6e63",
    political_group: "#862e9c", media: "#d6336c", other: "#7a7f87", non_state: "#c92a2a",
    Actor: "#7a7f87", Defender: "#2b8a3e", Organization: "#12b886", Territory: "#adb5bd",
    Incident: "#e0a800", Case: "#495057", Source: "#868e96",
  };
  const SECTOR_BORDERS = { state: "#0b1f44", non_state: "#5c0a0a" };
  const NODE_SHAPES = {
    Actor: "ellipse", Defender: "diamond", Organization: "round-rectangle",
    Territory: "hexagon", Incident: "triangle", Case: "rectangle", Source: "tag",
  };
  const EDGE_COLOURS = {
    COLLUDES_WITH: "#c92a2a", INFILTRATES: "#862e9c", FUNDS: "#2b8a3e", COMMANDS: "#212529",
    ALLIED_WITH: "#1c5fb8", RIVAL_OF: "#e8590c", CONTROLS: "#8d6e63", DISPUTES: "#b35c00",
    OPERATES_IN: "#868e96", HAS_INTEREST_IN: "#0b7285", PART_OF: "#adb5bd",
    MEMBER_OF: "#5f3dc4", SUPPORTS: "#12b886", SOLIDARITY_WITH: "#20c997",
    PERPETRATED_BY: "#a61e4d", TARGETED: "#d6336c", OCCURRED_IN: "#868e96",
    DOCUMENTS: "#495057", CONCERNS: "#495057", HELD_BY: "#495057", SAME_AS: "#f08c00",
  };
  // Colours for groups and types this page does not know yet, picked by a hash of the name.
  const SPARE_COLOURS = ["#6741d9", "#1098ad", "#5c940d", "#d9480f", "#364fc7", "#a61e4d"];

  const GRADE_WORDS = {
    reliability: { A: "completely reliable", B: "usually reliable", C: "fairly reliable",
      D: "not usually reliable", E: "unreliable", F: "reliability cannot be judged" },
    credibility: { 1: "confirmed", 2: "probably true", 3: "possibly true", 4: "doubtful",
      5: "improbable", 6: "truth cannot be judged" },
  };

  const $ = (id) => document.getElementById(id);

  // The page lives at .../embed/{token}; everything else is relative to .../embed/.
  const token = decodeURIComponent(location.pathname.split("/").filter(Boolean).pop() || "");
  const base = new URL(".", location.href);

  const state = {
    cy: null,
    data: null,          // the GraphView last drawn
    today: null,         // the server's asOf of the first answer: what Reset returns to
    asOf: null,
    firstDay: FIRST_DAY,
    lastDay: null,
    seq: 0,              // numbers loads, so a slow answer never overwrites a newer one
    selected: null,
    matches: [],
    matchIndex: 0,
    idle: Promise.resolve(),
  };

  class EmbedError extends Error {}

  // ---- helpers -------------------------------------------------------------------------

  function humanize(key) {
    return String(key).replace(/_/g, " ");
  }

  function hashColour(name) {
    let h = 0;
    for (const ch of String(name)) h = (h * 31 + ch.codePointAt(0)) >>> 0;
    return SPARE_COLOURS[h % SPARE_COLOURS.length];
  }

  function clamp01(value, fallback) {
    const n = Number(value);
    return Number.isFinite(n) ? Math.min(1, Math.max(0, n)) : fallback;
  }

  // Accents and case ignored, as the API's own search does.
  function fold(text) {
    return String(text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function dayNumber(iso) {
    const [y, m, d] = iso.split("-").map(Number);
    return Math.round(Date.UTC(y, m - 1, d) / DAY_MS);
  }

  function isoDay(number) {
    return new Date(number * DAY_MS).toISOString().slice(0, 10);
  }

  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  async function fetchJson(path) {
    const response = await fetch(new URL(path, base), {
      credentials: "omit",
      cache: "no-store",
      headers: { Accept: "application/json" },
    });
    if (response.status === 401) {
      throw new EmbedError(
        "This embed link is not valid: it has expired, has been revoked or was never issued."
      );
    }
    if (response.status === 404) throw new EmbedError("That element is not part of this view.");
    if (response.status === 400) {
      // The server says what is wrong (a bad date, a view grown past the page's limit).
      const body = await response.json().catch(() => ({}));
      throw new EmbedError(body.error || "The server could not draw this view.");
    }
    if (!response.ok) throw new EmbedError(`The server could not answer (${response.status}).`);
    return response.json();
  }

  function download(blob, name) {
    const url = URL.createObjectURL(blob);
    const link = el("a");
    link.href = url;
    link.download = name;
    document.body.append(link);
    link.click();
    link.remove();
    // The browser reads the blob after click() returns; revoke once it surely has.
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }

  function setState(name) {
    document.body.dataset.state = name;
  }

  function showMessage(text) {
    const box = $("message");
    box.textContent = text;
    box.hidden = !text;
  }

  // ---- GraphView -> Cytoscape elements --------------------------------------------------

  function colourKey(node) {
    // Actors are coloured by kind (the sector shows in the border); others by their group.
    return node.label === "Actor" && node.kind ? node.kind : node.group || node.label;
  }

  function nodeColour(node) {
    const key = colourKey(node);
    return NODE_COLOURS[key] || NODE_COLOURS[node.label] || hashColour(key);
  }

  function edgeColour(type) {
    return EDGE_COLOURS[type] || hashColour(type);
  }

  function toNode(node) {
    const score = clamp01(node.score, 0.3);
    return {
      group: "nodes",
      data: {
        id: node.id,
        name: node.name || node.id,
        label: node.label,
        colour: nodeColour(node),
        border: SECTOR_BORDERS[node.sector] || "#ffffff",
        shape: NODE_SHAPES[node.label] || "ellipse",
        size: Math.round(18 + 42 * score),
        search: fold(`${node.name} ${node.id}`),
      },
    };
  }

  // Symmetric ties (the model's, sent with the view): an arrow would claim a direction the data
  // does not have.
  function toEdge(edge, symmetric) {
    const confidence = clamp01(edge.confidence, 0.5);
    return {
      group: "edges",
      data: {
        id: edge.id,
        source: edge.source,
        target: edge.target,
        type: edge.type,
        colour: edgeColour(edge.type),
        width: 1 + 4 * confidence,
        opacity: 0.35 + 0.65 * confidence,
        arrow: symmetric.has(edge.type) ? "none" : "triangle",
        dashed: Boolean(edge.dashed),
      },
    };
  }

  function toElements(data) {
    const nodes = (data.nodes || []).map(toNode);
    const ids = new Set(nodes.map((n) => n.data.id));
    // Cytoscape refuses an edge whose end is missing; the server never sends one, but one bad
    // element must not blank the whole picture.
    const edges = (data.edges || []).filter((e) => ids.has(e.source) && ids.has(e.target));
    const symmetric = new Set(data.symmetricTypes || []);
    return { nodes, edges: edges.map((e) => toEdge(e, symmetric)) };
  }

  function graphStyle(nodeCount) {
    const large = nodeCount > LARGE;
    const labelZoom = large ? 14 : nodeCount > CROWDED ? 11 : 0;
    return [
      {
        selector: "node",
        style: {
          "background-color": "data(colour)",
          shape: "data(shape)",
          width: "data(size)",
          height: "data(size)",
          "border-width": 2,
          "border-color": "data(border)",
          label: "data(name)",
          "font-family": "system-ui, sans-serif",
          "font-size": 10,
          color: "#1d2430",
          "text-valign": "bottom",
          "text-margin-y": 3,
          "text-wrap": "ellipsis",
          "text-max-width": "120px",
          "text-outline-color": "#ffffff",
          "text-outline-width": 2,
          // Crowded views label only their biggest nodes until the reader zooms in.
          "min-zoomed-font-size": labelZoom,
        },
      },
      { selector: `node[size >= ${BIG_NODE}]`, style: { "min-zoomed-font-size": 0 } },
      {
        selector: "edge",
        style: {
          width: "data(width)",
          "line-color": "data(colour)",
          "target-arrow-color": "data(colour)",
          "target-arrow-shape": "data(arrow)",
          "arrow-scale": 0.8,
          "curve-style": large ? "straight" : "bezier",
          opacity: "data(opacity)",
        },
      },
      { selector: "edge[?dashed]", style: { "line-style": "dashed", "line-dash-pattern": [6, 4] } },
      { selector: "node:selected", style: { "border-width": 5, "border-color": "#f0a202" } },
      {
        selector: "edge:selected",
        style: { "line-color": "#f0a202", "target-arrow-color": "#f0a202", opacity: 1 },
      },
      { selector: ".faded", style: { opacity: 0.12, "text-opacity": 0 } },
    ];
  }

  function layoutOptions(view, params, nodeCount, randomize) {
    const common = { animate: false, fit: true, padding: 30 };
    if (view === "paths") {
      // Paths read left to right, from `from` towards `to`.
      const root = params && params.from ? state.cy.getElementById(params.from) : null;
      return {
        ...common, name: "breadthfirst", directed: false, spacingFactor: 1.1,
        roots: root && root.nonempty() ? root : undefined,
        transform: (_node, pos) => ({ x: pos.y, y: pos.x }),
      };
    }
    if (nodeCount > LARGE) {
      // Highest scores in the middle: cheap, and the eye goes there first.
      return {
        ...common, name: "concentric", minNodeSpacing: 4, avoidOverlap: false,
        concentric: (node) => Math.round(node.data("size") / 7), levelWidth: () => 1,
      };
    }
    return {
      ...common, name: "cose", randomize, nodeRepulsion: () => 9000, idealEdgeLength: () => 70,
      numIter: 1000, nodeOverlap: 8, componentSpacing: 60, coolingFactor: 0.97,
    };
  }

  // ---- drawing --------------------------------------------------------------------------

  async function runLayout(randomize) {
    const { cy, data } = state;
    const layout = cy.layout(layoutOptions(data.view, data.params, cy.nodes().length, randomize));
    const done = layout.promiseOn("layoutstop");
    layout.run();
    await done;
    limitZoom();
  }

  // Fitting a handful of nodes would blow them up to poster size; stop at a reading size.
  function limitZoom() {
    const cy = state.cy;
    if (cy.zoom() > FIT_ZOOM_MAX) {
      cy.zoom(FIT_ZOOM_MAX);
      cy.center();
    }
  }

  function createGraph(elements, large) {
    const cy = cytoscape({
      container: $("cy"),
      elements: [...elements.nodes, ...elements.edges],
      style: graphStyle(elements.nodes.length),
      minZoom: 0.05,
      maxZoom: 4,
      boxSelectionEnabled: false,
      selectionType: "single",
      hideEdgesOnViewport: large,
      textureOnViewport: large,
    });
    cy.on("tap", "node, edge", (event) => select(event.target.id(), { fromKeyboard: false }));
    cy.on("tap", (event) => {
      if (event.target === cy) clearSelection();
    });
    return cy;
  }

  // Replaces what is drawn by `elements`, keeping the positions of nodes that stay.
  // Returns whether anything was added or removed.
  function updateGraph(elements) {
    const { cy } = state;
    const wanted = new Set([...elements.nodes, ...elements.edges].map((e) => e.data.id));
    let changed = false;
    cy.batch(() => {
      const gone = cy.elements().filter((e) => !wanted.has(e.id()));
      changed = gone.length > 0;
      cy.remove(gone);
      const fresh = [...elements.nodes, ...elements.edges].filter((e) => {
        const existing = cy.getElementById(e.data.id);
        if (existing.nonempty()) existing.data(e.data);
        return existing.empty();
      });
      changed = changed || fresh.length > 0;
      cy.add(fresh);
    });
    return changed;
  }

  async function draw(data, { relayout }) {
    state.data = data;
    state.asOf = data.asOf;
    const elements = toElements(data);
    if (!state.cy) {
      state.cy = createGraph(elements, elements.nodes.length > LARGE);
      await runLayout(true);
      // Time to first render: from navigation start to the end of the first layout.
      api.renderMs = performance.now();
      performance.mark("tejido-first-layout");
    } else {
      const changed = updateGraph(elements);
      if (changed || relayout) await runLayout(relayout);
    }
    describeView(data);
    updateTime(data);
    buildLegend(data);
    buildList();
    buildSearchNames();
    if (state.selected && state.cy.getElementById(state.selected).empty()) clearSelection();
  }

  async function load(asOf, { relayout = false } = {}) {
    const seq = ++state.seq;
    setState("loading");
    const query = asOf ? `?asOf=${encodeURIComponent(asOf)}` : "";
    try {
      const data = await fetchJson(`${encodeURIComponent(token)}/data${query}`);
      if (seq !== state.seq) return;
      showMessage("");
      await draw(data, { relayout });
      if (seq === state.seq) setState("ready");
    } catch (error) {
      if (seq !== state.seq) return;
      fail(error);
      throw error;
    }
  }

  function fail(error) {
    // Whatever was on screen belonged to a token that no longer works: take it all down.
    if (state.cy) state.cy.elements().remove();
    state.data = null;
    clearSelection();
    buildList();
    $("legend-nodes").replaceChildren();
    $("legend-edges").replaceChildren();
    showMessage(error instanceof EmbedError ? error.message : "The graph could not be drawn.");
    setState("error");
  }

  // ---- header, legend, screen-reader list ------------------------------------------------

  function nameOf(id) {
    const node = state.cy && id ? state.cy.getElementById(String(id)) : null;
    return node && node.nonempty() ? node.data("name") : id;
  }

  function subtitle(data) {
    const p = data.params || {};
    switch (data.view) {
      case "paths":
        return `From ${nameOf(p.from)} to ${nameOf(p.to)}`;
      case "neighbourhood": {
        const hops = Number(p.hops || 1);
        const types = p.types ? `, ${humanize(p.types)}` : "";
        return `${hops} ${hops === 1 ? "step" : "steps"} around ${nameOf(p.id)}${types}`;
      }
      default:
        return p.territory ? `Territory ${nameOf(p.territory)}` : "";
    }
  }

  function describeView(data) {
    const title = VIEW_TITLES[data.view] || "Graph";
    $("view-title").textContent = title;
    $("view-subtitle").textContent = subtitle(data);
    document.title = `${title} · Tejido`;
    const cap = $("tlp-cap");
    cap.textContent = `TLP:${data.maxTlp || "CLEAR"}`;
    cap.dataset.tlp = data.maxTlp || "CLEAR";
    const counts = `${state.cy.nodes().length} nodes and ${state.cy.edges().length} relationships`;
    $("cy").setAttribute("aria-label", `${title} as of ${data.asOf}: ${counts}`);
    $("as-of-label").textContent = `As of ${data.asOf}`;
  }

  function legendItem(list, label, decorate) {
    const item = el("li");
    const mark = el("span");
    mark.setAttribute("aria-hidden", "true");
    decorate(mark);
    item.append(mark, el("span", label));
    list.append(item);
  }

  function buildLegend(data) {
    const groups = new Map();
    for (const node of data.nodes || []) {
      const key = colourKey(node);
      if (!groups.has(key)) groups.set(key, node);
    }
    const nodeList = $("legend-nodes");
    nodeList.replaceChildren();
    for (const [key, node] of groups) {
      legendItem(nodeList, humanize(key), (mark) => {
        mark.className = "swatch";
        mark.dataset.shape = NODE_SHAPES[node.label] || "ellipse";
        mark.style.backgroundColor = nodeColour(node);
        mark.style.borderColor = SECTOR_BORDERS[node.sector] || "transparent";
      });
    }
    const edgeList = $("legend-edges");
    edgeList.replaceChildren();
    const types = [...new Set((data.edges || []).map((e) => e.type))];
    for (const type of types) {
      legendItem(edgeList, humanize(type).toLowerCase(), (mark) => {
        mark.className = "stroke";
        mark.style.borderTopColor = edgeColour(type);
      });
    }
    if ((data.edges || []).some((e) => e.dashed)) {
      legendItem(edgeList, "alleged or low confidence", (mark) => {
        mark.className = "stroke dashed";
      });
    }
  }

  function describeNode(node) {
    const raw = nodeById(node.id());
    const parts = [raw.label, raw.kind, raw.sector].filter(Boolean).map(humanize);
    const score = clamp01(raw.score, 0).toFixed(2);
    return `${node.data("name")}: ${parts.join(", ")}; score ${score}; TLP:${raw.tlp}`;
  }

  function describeEdge(edge) {
    const raw = edgeById(edge.id());
    const how = [`confidence ${clamp01(raw.confidence, 0).toFixed(2)}`];
    if (raw.attribution) how.unshift(raw.attribution);
    return `${nameOf(raw.source)} ${humanize(raw.type).toLowerCase()} ${nameOf(raw.target)} (${how.join(", ")}; TLP:${raw.tlp})`;
  }

  function nodeById(id) {
    return state.index.nodes.get(id);
  }

  function edgeById(id) {
    return state.index.edges.get(id);
  }

  function listButton(element, text) {
    const item = el("li");
    const button = el("button", text);
    button.type = "button";
    button.dataset.id = element.id();
    button.dataset.testid = element.isNode() ? "sr-node" : "sr-edge";
    item.append(button);
    return item;
  }

  // The list mirrors exactly what Cytoscape holds, rebuilt after every change.
  function buildList() {
    const nodes = $("sr-nodes");
    const edges = $("sr-edges");
    const cy = state.cy;
    if (!cy || !state.data) {
      nodes.replaceChildren();
      edges.replaceChildren();
      $("sr-summary").textContent = "Nothing is shown.";
      return;
    }
    state.index = {
      nodes: new Map(state.data.nodes.map((n) => [n.id, n])),
      edges: new Map(state.data.edges.map((e) => [e.id, e])),
    };
    const nodeItems = document.createDocumentFragment();
    cy.nodes().forEach((n) => nodeItems.append(listButton(n, describeNode(n))));
    const edgeItems = document.createDocumentFragment();
    cy.edges().forEach((e) => edgeItems.append(listButton(e, describeEdge(e))));
    nodes.replaceChildren(nodeItems);
    edges.replaceChildren(edgeItems);
    $("sr-summary").textContent =
      `${$("view-title").textContent} as of ${state.asOf}: ` +
      `${cy.nodes().length} nodes, ${cy.edges().length} relationships`;
  }

  function buildSearchNames() {
    const options = document.createDocumentFragment();
    const seen = new Set();
    state.cy.nodes().forEach((n) => {
      const name = n.data("name");
      if (seen.has(name)) return;
      seen.add(name);
      const option = el("option");
      option.value = name;
      options.append(option);
    });
    $("search-names").replaceChildren(options);
  }

  // ---- time ------------------------------------------------------------------------------

  function updateTime(data) {
    if (!state.today) state.today = data.asOf;
    const dates = data.dates || {};
    state.firstDay = dates.min && dates.min < FIRST_DAY ? dates.min : FIRST_DAY;
    const candidates = [state.today, data.asOf, dates.max].filter(Boolean).sort();
    state.lastDay = candidates[candidates.length - 1];
    const range = $("as-of-range");
    range.min = "0";
    range.max = String(dayNumber(state.lastDay) - dayNumber(state.firstDay));
    showDay(data.asOf);
    const date = $("as-of-date");
    date.min = state.firstDay;
    date.max = state.lastDay;
  }

  function showDay(iso) {
    const range = $("as-of-range");
    range.value = String(dayNumber(iso) - dayNumber(state.firstDay));
    range.setAttribute("aria-valuetext", iso);
    $("as-of-date").value = iso;
  }

  function dayFromRange() {
    return isoDay(dayNumber(state.firstDay) + Number($("as-of-range").value));
  }

  let sliderTimer = null;

  function requery(iso) {
    clearTimeout(sliderTimer);
    sliderTimer = setTimeout(() => {
      state.idle = load(iso).catch(() => {});
    }, SLIDER_DEBOUNCE_MS);
  }

  // ---- selection and details ---------------------------------------------------------------

  function clearSelection() {
    state.selected = null;
    if (state.cy) {
      state.cy.elements().unselect();
      state.cy.elements().removeClass("faded");
    }
    $("panel").hidden = true;
  }

  // Closing the details gives the focus back to whatever opened them from the keyboard.
  function closeDetails() {
    const back = state.opener;
    state.opener = null;
    clearSelection();
    if (back && back.isConnected) back.focus();
  }

  function highlight(element) {
    const cy = state.cy;
    const keep = element.isNode() ? element.closedNeighborhood() : element.union(element.connectedNodes());
    cy.batch(() => {
      cy.elements().removeClass("faded").unselect();
      cy.elements().not(keep).addClass("faded");
      element.select();
    });
  }

  function select(id, { fromKeyboard, center = false }) {
    const element = state.cy && state.cy.getElementById(id);
    if (!element || element.empty()) return;
    state.selected = id;
    highlight(element);
    if (center) state.cy.animate({ center: { eles: element }, zoom: Math.max(state.cy.zoom(), 1) }, { duration: 0 });
    openDetails(element, fromKeyboard);
  }

  // The GraphView's node fields that every view has; the rest are the view's own
  // (community and broker in collusion, power and reasons in the power map).
  const COMMON_FIELDS = new Set(["id", "label", "name", "group", "kind", "sector", "score", "tlp"]);
  // Shown after what the record says; `sources` is the evidence list, `name` the title.
  const BOOKKEEPING = ["id", "tlp", "owner", "shared_with", "created_at", "updated_at"];
  const SKIPPED = new Set(["name", "sources"]);

  function property(list, name, value) {
    if (value === null || value === undefined || value === "") return;
    if (Array.isArray(value) && !value.length) return;
    const shown = Array.isArray(value)
      ? value.join(", ")
      : typeof value === "object" ? JSON.stringify(value) : String(value);
    list.append(el("dt", humanize(name)), el("dd", shown));
  }

  function evidenceItem(source) {
    const item = el("li");
    item.dataset.testid = "evidence-item";
    const grade = el("span", source.grade || `${source.reliability || "?"}${source.credibility || "?"}`, "grade");
    grade.dataset.reliability = source.reliability || "";
    const words = [
      GRADE_WORDS.reliability[source.reliability],
      GRADE_WORDS.credibility[source.credibility],
    ].filter(Boolean);
    grade.title = words.length ? `Source ${words.join(", claim ")}` : "Not graded";
    const text = el("span");
    text.append(el("span", source.title || source.id));
    text.append(el("span", [humanize(source.kind || ""), source.date].filter(Boolean).join(" · "), "meta"));
    item.append(grade, text);
    return item;
  }

  function fillDetails(details) {
    const props = $("panel-props");
    props.replaceChildren();
    const node = details.kind === "node" ? nodeById(details.id) : null;
    if (node) {
      property(props, "score in this view", clamp01(node.score, 0).toFixed(2));
      for (const [name, value] of Object.entries(node)) {
        if (!COMMON_FIELDS.has(name)) property(props, name, value);
      }
    }
    const entries = Object.entries(details.properties || {}).filter(([name]) => !SKIPPED.has(name));
    const last = (name) => BOOKKEEPING.indexOf(name);
    entries.sort(([a], [b]) => last(a) - last(b));
    for (const [name, value] of entries) property(props, name, value);
    const evidence = $("panel-evidence");
    const items = (details.evidence || []).map(evidenceItem);
    if (!items.length) items.push(el("li", "No source visible at this marking.", "none"));
    evidence.replaceChildren(...items);
  }

  async function openDetails(element, fromKeyboard) {
    const id = element.id();
    const panel = $("panel");
    $("panel-title").textContent = element.isNode()
      ? element.data("name")
      : `${nameOf(element.data("source"))} → ${nameOf(element.data("target"))}`;
    $("panel-kind").textContent = element.isNode()
      ? humanize(colourKey(nodeById(id)))
      : humanize(element.data("type")).toLowerCase();
    $("panel-props").replaceChildren();
    $("panel-evidence").replaceChildren(el("li", "Loading…", "none"));
    panel.hidden = false;
    panel.dataset.id = id;
    panel.dataset.state = "loading";
    if (fromKeyboard) {
      state.opener = document.activeElement;
      $("panel-title").focus();
    }
    try {
      // The same day as the drawing: the server looks the element up in the view as drawn.
      const details = await fetchJson(
        `${encodeURIComponent(token)}/element/${encodeURIComponent(id)}?asOf=${state.asOf}`
      );
      if (state.selected !== id) return;
      fillDetails(details);
      panel.dataset.state = "ready";
    } catch (error) {
      if (state.selected !== id) return;
      $("panel-evidence").replaceChildren(el("li", error.message, "none"));
      panel.dataset.state = "error";
    }
  }

  // ---- search, fit, reset, export -------------------------------------------------------

  function search(text) {
    const status = $("search-status");
    const wanted = fold(text).trim();
    if (!wanted || !state.cy) {
      status.textContent = "";
      return;
    }
    if (wanted !== state.lastSearch) {
      state.lastSearch = wanted;
      const exact = state.cy.nodes().filter((n) => n.id() === text.trim() || fold(n.data("name")) === wanted);
      const partial = state.cy.nodes().filter((n) => n.data("search").includes(wanted));
      state.matches = (exact.nonempty() ? exact.union(partial) : partial).map((n) => n.id());
      state.matchIndex = 0;
    } else {
      state.matchIndex = (state.matchIndex + 1) % Math.max(1, state.matches.length);
    }
    if (!state.matches.length) {
      status.textContent = "No node matches.";
      return;
    }
    const id = state.matches[state.matchIndex];
    status.textContent = state.matches.length > 1
      ? `${state.matchIndex + 1} of ${state.matches.length}; Focus again for the next`
      : "Found.";
    select(id, { fromKeyboard: false, center: true });
  }

  function fileStem() {
    const data = state.data;
    return `tejido-${data ? data.view : "view"}-${state.asOf || "today"}`;
  }

  function exportPng() {
    if (!state.cy || !state.data) return;
    const blob = state.cy.png({ output: "blob", bg: "#ffffff", full: true, scale: 2, maxWidth: 4096, maxHeight: 4096 });
    download(blob, `${fileStem()}.png`);
  }

  // The export holds exactly what is drawn: the GraphView the server sent, minus nothing.
  function currentView() {
    const cy = state.cy;
    const drawn = new Set(cy.elements().map((e) => e.id()));
    return {
      ...state.data,
      nodes: state.data.nodes.filter((n) => drawn.has(n.id)),
      edges: state.data.edges.filter((e) => drawn.has(e.id)),
    };
  }

  function exportJson() {
    if (!state.cy || !state.data) return;
    const text = JSON.stringify(currentView(), null, 2);
    download(new Blob([text], { type: "application/json" }), `${fileStem()}.json`);
  }

  function fit() {
    if (!state.cy) return;
    state.cy.fit(undefined, 30);
    limitZoom();
  }

  function reset() {
    clearSelection();
    $("search-input").value = "";
    $("search-status").textContent = "";
    state.lastSearch = null;
    state.idle = load(state.today, { relayout: true }).catch(() => {});
  }

  // ---- keyboard on the graph -------------------------------------------------------------

  const PAN_STEP = 60;

  function onGraphKey(event) {
    const cy = state.cy;
    if (!cy) return;
    const centre = { x: cy.width() / 2, y: cy.height() / 2 };
    const moves = {
      ArrowLeft: { x: PAN_STEP, y: 0 }, ArrowRight: { x: -PAN_STEP, y: 0 },
      ArrowUp: { x: 0, y: PAN_STEP }, ArrowDown: { x: 0, y: -PAN_STEP },
    };
    if (moves[event.key]) cy.panBy(moves[event.key]);
    else if (event.key === "+" || event.key === "=") cy.zoom({ level: cy.zoom() * 1.25, renderedPosition: centre });
    else if (event.key === "-") cy.zoom({ level: cy.zoom() / 1.25, renderedPosition: centre });
    else if (event.key === "f" || event.key === "F") fit();
    else if (event.key === "Escape") closeDetails();
    else return;
    event.preventDefault();
  }

  // ---- wiring ----------------------------------------------------------------------------

  function bindControls() {
    $("search-form").addEventListener("submit", (event) => {
      event.preventDefault();
      search($("search-input").value);
    });
    $("fit").addEventListener("click", fit);
    $("reset").addEventListener("click", reset);
    $("export-png").addEventListener("click", exportPng);
    $("export-json").addEventListener("click", exportJson);
    $("panel-close").addEventListener("click", closeDetails);
    const range = $("as-of-range");
    range.addEventListener("input", () => {
      const iso = dayFromRange();
      range.setAttribute("aria-valuetext", iso);
      $("as-of-date").value = iso;
    });
    range.addEventListener("change", () => requery(dayFromRange()));
    $("as-of-date").addEventListener("change", (event) => {
      const iso = event.target.value;
      if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) return;
      showDay(iso);
      requery(iso);
    });
    $("cy").addEventListener("keydown", onGraphKey);
    document.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && !$("panel").hidden) closeDetails();
    });
    $("element-list").addEventListener("click", (event) => {
      const button = event.target.closest("button[data-id]");
      if (button) select(button.dataset.id, { fromKeyboard: true, center: true });
    });
  }

  // ---- start ---------------------------------------------------------------------------

  const api = {
    renderMs: null,
    ready: null,
    nodeCount: () => (state.cy ? state.cy.nodes().length : 0),
    edgeCount: () => (state.cy ? state.cy.edges().length : 0),
    nodeIds: () => (state.cy ? state.cy.nodes().map((n) => n.id()).sort() : []),
    edgeIds: () => (state.cy ? state.cy.edges().map((e) => e.id()).sort() : []),
    asOf: () => state.asOf,
    selected: () => state.selected,
    // Opens an element's details as a click would (dashboards and screenshots use it).
    select: (id) => select(id, { fromKeyboard: false, center: false }),
    // Resolves when the latest reload (slider, date, reset) has been drawn.
    idle: () => state.idle,
    // Where an element is drawn, in page coordinates, so tests can click it like a person.
    position: (id) => {
      const element = state.cy && state.cy.getElementById(id);
      if (!element || element.empty()) return null;
      const box = $("cy").getBoundingClientRect();
      const at = element.isNode() ? element.renderedPosition() : element.renderedMidpoint();
      return { x: box.left + at.x, y: box.top + at.y };
    },
  };
  window.tejidoEmbed = api;

  bindControls();
  // Resolves with renderMs once the first view is drawn, legend and list included.
  api.ready = load(null).then(() => api.renderMs);
  state.idle = api.ready.catch(() => {});
})();
