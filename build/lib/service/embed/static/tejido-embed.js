/*
 * <tejido-embed src="https://tejido.example.org/embed/TOKEN" title="..." height="480">
 *
 * A dashboard's shortcut for the embed iframe: it sets the attributes that keep the embed
 * contained (no referrer, lazy loading, a sandbox that still lets the page fetch its own data
 * and save exports). Load it from the Tejido server itself:
 *   <script src="https://tejido.example.org/embed/static/tejido-embed.js"></script>
 * (a classic script: a module script from another origin would need CORS headers).
 * The embed page still refuses to be framed by any origin its token does not name.
 */
{
const SANDBOX = "allow-scripts allow-same-origin allow-downloads";

class TejidoEmbed extends HTMLElement {
  static get observedAttributes() {
    return ["src", "title", "height"];
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
    if (name === "src") {
      // Only http(s) addresses: a javascript: or data: src would run in the dashboard's name.
      const url = value ? new URL(value, document.baseURI) : null;
      if (url && (url.protocol === "https:" || url.protocol === "http:")) this.frame.src = url.href;
    } else if (name === "title") {
      this.frame.title = value || "Tejido graph";
    } else if (name === "height") {
      this.style.height = /^\d+$/.test(value || "") ? `${value}px` : value || "480px";
    }
  }

  // Not in the constructor: an element the parser creates may not gain attributes there.
  connectedCallback() {
    this.style.display = "block";
    if (!this.hasAttribute("title")) this.frame.title = "Tejido graph";
    if (!this.hasAttribute("height")) this.style.height = "480px";
  }
}

if (!customElements.get("tejido-embed")) customElements.define("tejido-embed", TejidoEmbed);
}
