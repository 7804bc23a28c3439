// The Raikoo run widget: <raikoo-run workflow="…" token="rke_…" gateway="https://…">.
// It frames the gateway's widget page, passing the embed token in the address's fragment
// (never sent to a server) and its visible prefix in the query (the gateway answers the
// page with frame-ancestors for the origins that token lists). docs/embedding.md
(() => {
  "use strict";
  if (window.customElements.get("raikoo-run")) return;
  const script = document.currentScript;
  const scriptGateway = script && script.src ? new URL(script.src).origin : "";

  class RaikooRun extends HTMLElement {
    static get observedAttributes() {
      return ["token", "gateway", "workflow", "height", "title"];
    }

    connectedCallback() {
      this.render();
    }

    attributeChangedCallback() {
      if (this.isConnected) this.render();
    }

    render() {
      const token = (this.getAttribute("token") || "").trim();
      const gateway = (this.getAttribute("gateway") || scriptGateway).replace(/\/$/, "");
      const match = /^(rke_[a-z0-9]{10})_/.exec(token);
      const root = this.shadowRoot || this.attachShadow({ mode: "open" });
      if (!match || !gateway) {
        root.textContent = "raikoo-run: set token=\"rke_…\" (and gateway=\"https://…\" unless embed.js comes from the gateway)";
        return;
      }
      const frame = document.createElement("iframe");
      const workflow = this.getAttribute("workflow") || "workflow";
      frame.src = `${gateway}/embed/run/?prefix=${encodeURIComponent(match[1])}#token=${encodeURIComponent(token)}`;
      frame.title = this.getAttribute("title") || `Run ${workflow}`;
      frame.setAttribute("referrerpolicy", "no-referrer");
      frame.style.cssText = `border:0;width:100%;height:${this.getAttribute("height") || "480px"}`;
      root.replaceChildren(frame);
    }
  }

  window.customElements.define("raikoo-run", RaikooRun);
})();
