// The review page (service/review/routes.py): crossReferences a page at a time, the selected
// match side by side, confirm and reject with a note. Keyboard first: see texts.keys.
// The key lives in `state.key` only: never in storage, never in the address.
"use strict";

const texts = JSON.parse(document.getElementById("texts").textContent);
// The model's labels in the page's language: values as a person reads them ("mujer", not woman).
const labels = JSON.parse(document.getElementById("labels").textContent);
const PAGE_SIZE = 10;
// Field (as the query names it) -> the model's property, for its label.
const SIDE_FIELDS = {
  Defender: { name: "name", pseudonym: "pseudonym", gender: "gender", country: "country",
              defenderStatus: "status", identities: "identities", focus: "focus" },
  Incident: { name: "name", kind: "kind", date: "date", severity: "severity" },
  Case: { name: "name", reference: "reference", opened: "opened", caseStatus: "status",
          summary: "summary" },
};
const LIST = `
  query Review($first: Int!, $after: String, $status: [MatchStatus!]) {
    crossReferences(first: $first, after: $after, status: $status) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node {
        id label score status note
        holder { id name }
        explanation { field similarity weight }
        record { ...Side }
        other { ...Side }
      } }
    }
  }
  fragment Side on Node {
    id label name tlp owner
    ... on Defender { pseudonym gender country defenderStatus: status identities focus }
    ... on Incident { kind date severity }
    ... on Case { reference opened caseStatus: status summary }
  }`;
const JUDGE = {
  CONFIRMED: "mutation ($id: ID!, $note: String) { confirmMatch(id: $id, note: $note) }",
  REJECTED: "mutation ($id: ID!, $note: String) { rejectMatch(id: $id, note: $note) }",
};

const state = { key: null, status: "PROPOSED", cursors: [null], page: 0, items: [], total: 0,
                hasNext: false, selected: 0 };
const $ = (id) => document.getElementById(id);

function say(name, params = {}) {
  const text = texts[name] ?? name;
  return text.replace(/\{(\w+)\}/g, (whole, key) => (key in params ? String(params[key]) : whole));
}

function message(text, isError = false) {
  $("message").textContent = text;
  $("message").classList.toggle("error", isError);
}

class Refused extends Error {}

async function graphql(query, variables) {
  const response = await fetch("/graphql", {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      "Accept-Language": document.documentElement.lang,
      Authorization: `Bearer ${state.key}`,
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json().catch(() => ({}));
  const errors = body.errors || (body.detail ? [{ message: body.detail }] : []);
  if (response.status === 401) throw new Refused(errors.map((e) => e.message).join("; "));
  if (errors.length || !response.ok) {
    throw new Error(errors.map((e) => e.message).join("; ") || `HTTP ${response.status}`);
  }
  return body.data;
}

function valueLabel(property, value) {
  const named = (v) => labels.values?.[property]?.[v] ?? v;
  return Array.isArray(value) ? value.map(named) : value == null ? value : named(value);
}

function describe(item) {
  const record = item.record || {};
  const incident = record.kind && record.date
    ? `${valueLabel("kind", record.kind)} ${record.date}` : null;
  const name = record.name || record.pseudonym || record.reference || incident || record.id;
  return `${say(`label_${item.label}`)} · ${name || item.id}`;
}

function percent(score) {
  return `${Math.round(score * 100)} %`;
}

async function load() {
  message(say("loading"));
  try {
    const data = await graphql(LIST, {
      first: PAGE_SIZE, after: state.cursors[state.page], status: [state.status],
    });
    const found = data.crossReferences;
    state.items = found.edges.map((edge) => edge.node);
    state.total = found.totalCount;
    state.hasNext = found.pageInfo.hasNextPage;
    state.cursors[state.page + 1] = found.pageInfo.endCursor;
    state.selected = Math.min(state.selected, Math.max(state.items.length - 1, 0));
    document.body.dataset.state = "ready";
    $("review").hidden = false;
    message("");
    renderList();
    // From the key field straight to the list, where the keys work.
    if (document.activeElement === $("key-input")) $("matches").focus();
  } catch (error) {
    document.body.dataset.state = state.items.length ? "ready" : "locked";
    message(say(error instanceof Refused ? "refused" : "failed", { message: error.message }), true);
  }
}

function renderList() {
  const list = $("matches");
  list.replaceChildren(...state.items.map((item, index) => {
    const li = document.createElement("li");
    li.id = `match-${index}`;
    li.setAttribute("role", "option");
    li.dataset.id = item.id;
    li.dataset.testid = "match";
    li.setAttribute("aria-selected", String(index === state.selected));
    const what = document.createElement("span");
    what.textContent = describe(item);
    const score = document.createElement("span");
    score.className = "score";
    score.textContent = percent(item.score);
    const status = document.createElement("div");
    status.className = `status-${item.status.toLowerCase()}`;
    status.dataset.testid = "match-status";
    status.dataset.status = item.status;
    status.textContent = say(`is_${item.status.toLowerCase()}`);
    li.append(what, score, status);
    li.addEventListener("click", () => select(index));
    return li;
  }));
  const first = state.page * PAGE_SIZE + (state.items.length ? 1 : 0);
  $("page-of").textContent = say("page_of", {
    first, last: state.page * PAGE_SIZE + state.items.length, total: state.total,
  });
  $("previous").disabled = state.page === 0;
  $("next").disabled = !state.hasNext;
  $("empty").hidden = state.items.length > 0;
  $("detail").hidden = state.items.length === 0;
  if (state.items.length) select(state.selected, false);
}

function cell(text, className) {
  const td = document.createElement("td");
  td.textContent = Array.isArray(text) ? text.join(", ") : text ?? "";
  if (className) td.className = className;
  return td;
}

function select(index, focus = true) {
  if (!state.items.length) return;
  state.selected = Math.max(0, Math.min(index, state.items.length - 1));
  for (const li of $("matches").children) {
    li.setAttribute("aria-selected", String(li.id === `match-${state.selected}`));
  }
  $("matches").setAttribute("aria-activedescendant", `match-${state.selected}`);
  const item = state.items[state.selected];
  const detail = $("detail");
  detail.dataset.id = item.id;
  $("detail-title").textContent = describe(item);
  detail.querySelector("[data-testid=detail-holder]").textContent =
    `${say("held_by")}: ${item.holder.name || say("unnamed_holder")}`;
  detail.querySelector("[data-testid=detail-score]").textContent =
    `${say("score")}: ${percent(item.score)}`;
  detail.querySelector("[data-testid=detail-status]").textContent =
    `${say("status")}: ${say(`is_${item.status.toLowerCase()}`)}`;
  const fields = Object.entries(SIDE_FIELDS[item.label] || { name: "name" });
  const rows = fields.map(([field, property]) => {
    const mine = item.record?.[field];
    const theirs = item.other?.[field];
    const tr = document.createElement("tr");
    tr.dataset.field = property;
    const th = document.createElement("th");
    th.scope = "row";
    th.textContent = say(`field_${property}`);
    const differs = item.other && JSON.stringify(mine) !== JSON.stringify(theirs);
    tr.append(th, cell(valueLabel(property, mine)),
      cell(valueLabel(property, theirs), differs ? "differs" : ""));
    return tr;
  });
  detail.querySelector("[data-testid=sides] tbody").replaceChildren(...rows);
  detail.querySelector("[data-testid=closed-other]").hidden = Boolean(item.other);
  const agreements = (item.explanation || []).map((a) => {
    const tr = document.createElement("tr");
    tr.dataset.testid = "agreement-row";
    const meter = document.createElement("meter");
    meter.min = 0;
    meter.max = 1;
    meter.value = a.similarity;
    const similarity = cell(`${percent(a.similarity)} `);
    similarity.prepend(meter);
    tr.append(cell(say(`field_${a.field}`)), similarity, cell(a.weight));
    return tr;
  });
  detail.querySelector("[data-testid=agreement] tbody").replaceChildren(...agreements);
  detail.querySelector("[data-testid=no-agreement]").hidden = item.explanation !== null;
  $("note").value = item.note || "";
  if (focus) $("matches").focus();
}

async function judge(status) {
  const item = state.items[state.selected];
  if (!item) return;
  try {
    const data = await graphql(JUDGE[status], { id: item.id, note: $("note").value });
    item.status = Object.values(data)[0];
    item.note = $("note").value.trim() || null;
    const done = status === "CONFIRMED" ? "done_confirmed" : "done_rejected";
    message(say(done, { what: describe(item) }));
    const next = state.selected + 1;
    renderList();
    select(next < state.items.length ? next : state.selected);
  } catch (error) {
    message(say("failed", { message: error.message }), true);
  }
}

function turnPage(step) {
  const page = state.page + step;
  if (page < 0 || (step > 0 && !state.hasNext)) return;
  state.page = page;
  state.selected = 0;
  load();
}

$("key-form").addEventListener("submit", (event) => {
  event.preventDefault();
  state.key = $("key-input").value.trim();
  $("key-input").value = "";  // not left in the field either
  state.cursors = [null];
  state.page = 0;
  load();
});
$("status-select").addEventListener("change", () => {
  state.status = $("status-select").value;
  state.cursors = [null];
  state.page = 0;
  state.selected = 0;
  load();
});
$("previous").addEventListener("click", () => turnPage(-1));
$("next").addEventListener("click", () => turnPage(1));
$("confirm").addEventListener("click", () => judge("CONFIRMED"));
$("reject").addEventListener("click", () => judge("REJECTED"));

document.addEventListener("keydown", (event) => {
  if (document.body.dataset.state !== "ready" || event.ctrlKey || event.metaKey || event.altKey) {
    return;
  }
  const typing = ["INPUT", "TEXTAREA", "SELECT"].includes(document.activeElement?.tagName);
  if (typing) {
    if (event.key === "Escape") $("matches").focus();
    return;
  }
  const actions = {
    j: () => select(state.selected + 1), ArrowDown: () => select(state.selected + 1),
    k: () => select(state.selected - 1), ArrowUp: () => select(state.selected - 1),
    c: () => judge("CONFIRMED"), x: () => judge("REJECTED"),
    n: () => $("note").focus(),
    "]": () => turnPage(1), "[": () => turnPage(-1),
  };
  const action = actions[event.key];
  if (action) {
    event.preventDefault();
    action();
  }
});
