// Hash routes: `#/path/ARG?query`. The router knows no view: app.js hands it
// a table of routes, a view for unknown addresses and one for failures.
// Views are async functions answering {title, node, focus?}; the newest
// navigation wins (an older view that answers late is dropped).

const APP = "w2k8 fleet";

let config = { routes: [], notFound: null, failed: null, rendered: () => {} };
let generation = 0;
// Set by a hashchange: the new view's heading takes the focus.
let focusHeading = false;

// The hash as decoded path parts and its query.
export function parseHash() {
  const raw = location.hash.replace(/^#/, "") || "/";
  const at = raw.indexOf("?");
  const path = at < 0 ? raw : raw.slice(0, at);
  const params = new URLSearchParams(at < 0 ? "" : raw.slice(at + 1));
  const parts = path
    .split("/")
    .filter((p) => p !== "")
    .map((p) => {
      try {
        return decodeURIComponent(p);
      } catch (_) {
        return p;
      }
    });
  return { parts, params };
}

// Navigates to `hash`; `replace` leaves no history entry (search as you type).
export function go(hash, replace) {
  if (replace) location.replace(hash);
  else location.hash = hash;
}

// `base` with the query of `params`, if any.
export function hashWith(base, params) {
  const q = params.toString();
  return base + (q ? "?" + q : "");
}

// The route for `parts`: {path: "" (the root) or a first part, arg: true when
// one more part follows, nav: the tab to mark, view({arg, params})}.
function resolve(parts) {
  const want = (r) => (r.path ? (r.arg ? 2 : 1) : 0);
  const route = config.routes.find((r) => parts.length === want(r) && (parts.length === 0 || parts[0] === r.path));
  return route || { nav: "overview", view: config.notFound };
}

function markNav(nav) {
  for (const a of document.querySelectorAll("[data-nav]")) {
    if (a.getAttribute("data-nav") === nav) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
}

// The focused field of the view, to focus again once the view is redrawn
// (typing in a search box rewrites the hash).
function focusToKeep(main) {
  const active = document.activeElement;
  return active && active.id && main.contains(active) ? { id: active.id, pos: active.selectionStart } : null;
}

function placeFocus(main, keep, out) {
  const again = keep && document.getElementById(keep.id);
  if (again) {
    again.focus();
    if (typeof keep.pos === "number" && typeof again.setSelectionRange === "function") {
      try {
        again.setSelectionRange(keep.pos, keep.pos);
      } catch (_) {
        /* not a text input */
      }
    }
  } else if (out.focus) {
    const f = document.getElementById(out.focus);
    if (f) f.focus();
  } else if (focusHeading) {
    const h1 = main.querySelector("h1");
    if (h1) {
      h1.setAttribute("tabindex", "-1");
      h1.focus({ preventScroll: true });
    }
    window.scrollTo(0, 0);
  }
}

// Draws the view of the current hash into <main>.
export async function render() {
  const my = ++generation;
  const main = document.getElementById("main");
  const { parts, params } = parseHash();
  const keep = focusToKeep(main);
  const route = resolve(parts);
  markNav(route.nav);
  main.setAttribute("aria-busy", "true");
  let out;
  try {
    out = await route.view({ arg: parts[1], params });
  } catch (e) {
    if (my !== generation) return;
    out = config.failed(e);
  }
  if (my !== generation) return;
  main.replaceChildren(out.node);
  main.removeAttribute("aria-busy");
  document.title = out.title + " · " + APP;
  config.rendered();
  placeFocus(main, keep, out);
  focusHeading = false;
}

// Starts routing: {routes, notFound, failed(error), rendered()}.
export function start(options) {
  config = { ...config, ...options };
  window.addEventListener("hashchange", () => {
    focusHeading = true;
    render();
  });
  render();
}
