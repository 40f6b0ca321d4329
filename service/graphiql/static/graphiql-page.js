/*
 * Tejido's GraphiQL page. GraphiQL and React come from this server (vendor/); the example
 * operations and the page's texts come in the page itself (#tejido-graphiql-config), in the
 * request's language. The key the reader pastes is sent as the Authorization header of every
 * request to /graphql, the schema's introspection included, which runs again whenever the key
 * changes. It stays in memory unless "remember" is ticked: then sessionStorage, for this tab.
 */
(function () {
  "use strict";

  const REMEMBERED = "tejido.apiKey";
  const KEY_SETTLE_MS = 400;
  const config = JSON.parse(document.getElementById("tejido-graphiql-config").textContent);
  const keyInput = document.getElementById("api-key");
  const remember = document.getElementById("remember-key");
  const root = ReactDOM.createRoot(document.getElementById("graphiql"));

  // GraphiQL keeps its tabs and editors in this; in memory, so nothing a reader typed (ids,
  // names) outlives the page and every visit opens on the examples.
  function memoryStorage() {
    const items = new Map();
    return {
      getItem: (name) => (items.has(name) ? items.get(name) : null),
      setItem: (name, value) => items.set(name, String(value)),
      removeItem: (name) => items.delete(name),
      clear: () => items.clear(),
      get length() {
        return items.size;
      },
    };
  }
  const storage = memoryStorage();

  // GraphiQL can send the operation name of the tab it showed before (a switch of tabs while it
  // re-reads the schema): a name the document does not hold is replaced by its only operation.
  function ownOperation(params) {
    const names = [...String(params.query || "").matchAll(/\b(?:query|mutation|subscription)\s+(\w+)/g)]
      .map((found) => found[1]);
    if (!params.operationName || names.includes(params.operationName)) return params;
    return { ...params, operationName: names.length === 1 ? names[0] : undefined };
  }

  function fetcherFor(key) {
    return async function fetcher(asked) {
      if (!key) return { errors: [{ message: config.texts.noKey }] };
      const params = ownOperation(asked);
      const response = await fetch(config.endpoint, {
        method: "POST",
        credentials: "omit",
        headers: {
          Accept: "application/json",
          "Content-Type": "application/json",
          Authorization: `Bearer ${key}`,
        },
        body: JSON.stringify(params),
      });
      return response.json();
    };
  }

  let shownKey = null;

  function show() {
    const key = keyInput.value.trim();
    if (key === shownKey) return;
    shownKey = key;
    // A new fetcher makes GraphiQL introspect again, now with the new key.
    root.render(
      React.createElement(GraphiQL, {
        fetcher: fetcherFor(key),
        defaultTabs: config.tabs,
        // GraphiQL fills the first tab's variables editor from this prop, not from its tab.
        variables: config.tabs.length ? config.tabs[0].variables : undefined,
        storage,
        defaultEditorToolsVisibility: "variables",
        shouldPersistHeaders: false,
      })
    );
  }

  function keep() {
    if (remember.checked && keyInput.value.trim()) {
      sessionStorage.setItem(REMEMBERED, keyInput.value.trim());
    } else {
      sessionStorage.removeItem(REMEMBERED);
    }
  }

  const remembered = sessionStorage.getItem(REMEMBERED);
  if (remembered) {
    keyInput.value = remembered;
    remember.checked = true;
  }
  let settle = null;
  keyInput.addEventListener("input", () => {
    clearTimeout(settle);
    settle = setTimeout(() => {
      keep();
      show();
    }, KEY_SETTLE_MS);
  });
  document.getElementById("key-form").addEventListener("submit", (event) => {
    event.preventDefault();
    keep();
    show();
  });
  remember.addEventListener("change", keep);
  show();
})();
