// w2k8 fleet dashboard: a single page over the JSON API of `w2k8 serve`.
//
// Plain JavaScript modules, no framework, no build step, no other origin:
// every module is embedded in the binary and served from /assets/. Runs
// under `script-src 'self'; style-src 'self'`: no inline script or style,
// no eval. Every element is built by dom.js with createElement and every
// value from the fleet (host names come from the hosts' own outputs) goes
// in as text or through setAttribute, never innerHTML, so `<script>` in a
// host name shows as text. Links built from data only ever point inside
// the page or to http(s) sources.
//
// Modules: api (fetch, errors, token), router (hash routes), dom (element
// builders), format (values as text), ui and tables (shared pieces), charts
// (SVG), and one view-*.js per page. This entry wires them together.
//
// Views (hash routes): #/ overview, #/hosts list, #/host-id/ID detail (the
// links), #/host/NAME detail by name (a name several hosts share lists
// them), #/cves list, #/cve/ID detail. When the API answers 401 the page asks for
// the token, keeps it in sessionStorage and sends `Authorization: Bearer`.
import { api, ApiError, token } from "./api.js";
import { start } from "./router.js";
import { errorBox } from "./ui.js";
import { cveDetail } from "./view-cve.js";
import { cveList } from "./view-cves.js";
import { hostDetail } from "./view-host.js";
import { hostList } from "./view-hosts.js";
import { overview } from "./view-overview.js";
import { signIn, signOut } from "./view-signin.js";

const routes = [
  { path: "", nav: "overview", view: () => overview() },
  { path: "hosts", nav: "hosts", view: ({ params }) => hostList(params) },
  { path: "host-id", arg: true, nav: "hosts", view: ({ arg }) => hostDetail({ id: arg }) },
  { path: "host", arg: true, nav: "hosts", view: ({ arg }) => hostDetail({ name: arg }) },
  { path: "cves", nav: "cves", view: ({ params }) => cveList(params) },
  { path: "cve", arg: true, nav: "cves", view: ({ arg }) => cveDetail(arg) },
];

const notFound = async () => ({ title: "Not found", node: errorBox("Not found", "There is no view at " + location.hash + ".") });

// A view that failed: the sign-in form on 401, the error otherwise.
function failed(e) {
  if (e instanceof ApiError && e.status === 401) return signIn();
  return { title: "Error", node: errorBox(e instanceof ApiError && e.status ? "Error " + e.status : "Error", e.message) };
}

// The catalog in use, in the header.
async function catalogLine() {
  try {
    const hl = await api("/api/health");
    const el = document.getElementById("catalog");
    if (hl && hl.catalog) el.textContent = "catalog " + hl.catalog;
    if (hl && hl.version) el.setAttribute("title", "w2k8 " + hl.version);
  } catch (_) {
    /* the header line is a nicety */
  }
}

const signout = document.getElementById("signout");
signout.addEventListener("click", signOut);
catalogLine();
start({ routes, notFound, failed, rendered: () => (signout.hidden = !token.get()) });
