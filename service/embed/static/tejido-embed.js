/*
 * <tejido-embed src="https://tejido.example.org/embed/TOKEN" title="..." height="480" lang="es">
 *
 * `lang` (es or en) fixes the page's language; without it the page follows the browser.
 * A dashboard's shortcut for the embed iframe: it sets the attributes that keep the embed
 * contained (no referrer, lazy loading, a sandbox that still lets the page fetch its own data
 * and save exports). Load it from the Tejido server itself:
 *   <script src="https://tejido.example.org/embed/static/tejido-embed.js"></script>
 * (a classic script: a module script from another origin would need CORS headers).
 * The embed page still refuses to be framed by any origin its token does not name.
 */
{
const SANDBOX = "allow-scripts allow-same-origin allow-downloads";
// The frame's accessible name when the dashboard gives none, in the element's language.
const DEFAULT_TITLES = { es: "Grafo de Tejido", en: "Tejido graph" };

class TejidoEmbed extends HTMLElement {
  static get observedAttributes() {
    return ["src", "title", "height", "lang"];
  }

  constructor() {
    super();
    const root = this.attachShadow({ mode: "open" });
    this.frame = document.createElement("iframe");
    this.frame.setAttribute("sandbox", SANDBOX);
    this.frame.setAttribute("referrerpolicy", "no-referrer");
    this.frame.setAttribute("loading", "lazy");
    // Styled through the DOM, not a <style> element, so a strict CSP on the dashboard holds.
    Object.assign(this.frame.style, {
      display: "block", width: "100%", height: "100%", border: "0",
    });
    root.append(this.frame);
  }

  attributeChangedCallback(name, _old, value) {
    if (name === "src" || name === "lang") {
      this.showSource();
    } else if (name === "title") {
      this.frame.title = value || this.defaultTitle();
    } else if (name === "height") {
      this.style.height = /^\d+$/.test(value || "") ? `${value}px` : value || "480px";
    }
  }

  showSource() {
    const src = this.getAttribute("src");
    // Only http(s) addresses: a javascript: or data: src would run in the dashboard's name.
    const url = src ? new URL(src, document.baseURI) : null;
    if (!url || (url.protocol !== "https:" && url.protocol !== "http:")) return;
    const lang = this.getAttribute("lang");
    if (lang) url.searchParams.set("lang", lang);
    this.frame.src = url.href;
  }

  defaultTitle() {
    const lang = (this.getAttribute("lang") || document.documentElement.lang || "").slice(0, 2);
    return DEFAULT_TITLES[lang] || DEFAULT_TITLES.es;
  }

  // Not in the constructor: an element the parser creates may not gain attributes there.
  connectedCallback() {
    this.style.display = "block";
    if (!this.hasAttribute("title")) this.frame.title = this.defaultTitle();
    if (!this.hasAttribute("height")) this.style.height = "480px";
  }
}

if (!customElements.get("tejido-embed")) customElements.define("tejido-embed", TejidoEmbed);
}
