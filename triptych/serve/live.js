// Keeps a triptych preview view current without reloading it (served as /_triptych/live.js).
//
// The server announces each new version of the talk on an event stream (Server-Sent
// Events). On a version other than the one shown, the view is fetched again and the page is
// changed in place: only nodes that differ are touched, so pictures are not fetched again
// and the scroll position stays where the reader left it. No words here: the bar's status
// texts come from the page (data-live, data-lost on #tp-preview-status).
(() => {
  "use strict";
  const script = document.currentScript;
  const talk = script.dataset.talk || "";
  const view = script.dataset.view || "";
  let shown = script.dataset.version;
  let busy = false;
  let again = false;

  function status(live) {
    const element = document.getElementById("tp-preview-status");
    if (element) {
      element.textContent = live ? element.dataset.live : element.dataset.lost;
      element.classList.toggle("tp-lost", !live);
    }
  }

  // The problems overlay is fixed under the bar: its height, as --tp-problems, moves the view
  // down by as much (the chrome's styles), so it covers none of it, the view's heading included.
  function makeRoom() {
    const overlay = document.getElementById("tp-preview-problems");
    document.documentElement.style.setProperty("--tp-problems", (overlay ? overlay.offsetHeight : 0) + "px");
  }

  // Make `target` (a live node) look like `source` (from the fetched page).
  function morph(target, source) {
    if (target.isEqualNode(source)) return;
    if (target.nodeType !== source.nodeType || target.nodeName !== source.nodeName
        || target.nodeType !== Node.ELEMENT_NODE) {
      if (target.nodeType === Node.TEXT_NODE && source.nodeType === Node.TEXT_NODE) {
        target.nodeValue = source.nodeValue;
      } else {
        target.replaceWith(document.importNode(source, true));
      }
      return;
    }
    for (const name of target.getAttributeNames()) {
      if (!source.hasAttribute(name)) target.removeAttribute(name);
    }
    for (const name of source.getAttributeNames()) {
      const value = source.getAttribute(name);
      if (target.getAttribute(name) !== value) target.setAttribute(name, value);
    }
    const old = Array.from(target.childNodes);
    const fresh = Array.from(source.childNodes);
    fresh.forEach((child, i) => {
      if (i < old.length) morph(old[i], child);
      else target.appendChild(document.importNode(child, true));
    });
    for (let i = fresh.length; i < old.length; i++) old[i].remove();
  }

  async function refresh() {
    if (busy) { again = true; return; }
    busy = true;
    try {
      const response = await fetch(location.pathname, { cache: "no-store" });
      if (!response.ok) return;
      const page = new DOMParser().parseFromString(await response.text(), "text/html");
      const x = window.scrollX, y = window.scrollY;
      if (document.title !== page.title) document.title = page.title;
      // The view's own styles (theme changes), then its body.
      const styles = Array.from(document.head.querySelectorAll("style"));
      Array.from(page.head.querySelectorAll("style")).forEach((style, i) => {
        if (i < styles.length) {
          if (styles[i].textContent !== style.textContent) styles[i].textContent = style.textContent;
        } else {
          document.head.appendChild(document.importNode(style, true));
        }
      });
      morph(document.body, page.body);
      makeRoom();
      window.scrollTo(x, y);
      const next = page.querySelector("script[data-version]");
      if (next) shown = next.dataset.version;
      document.documentElement.dataset.tpShown = shown;
    } catch (error) {
      status(false);
    } finally {
      busy = false;
      if (again) { again = false; refresh(); }
    }
  }

  const query = "talk=" + encodeURIComponent(talk) + "&view=" + encodeURIComponent(view);
  const events = new EventSource("/_triptych/events?" + query);
  events.addEventListener("version", (event) => {
    status(true);
    if (event.data !== shown) refresh();
  });
  events.onerror = () => status(false);
  window.addEventListener("resize", makeRoom);
  makeRoom();
  document.documentElement.dataset.tpShown = shown;
})();
