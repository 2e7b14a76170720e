// A host's install plan (part of the host page): its steps in order with
// restarts and known issues, the failures it predicts with their fixes,
// where it stops, and what no update can close.
import { h } from "./dom.js";
import { num, dash, words, isCve, cveHref, plural } from "./format.js";
import { table, th } from "./tables.js";
import { sources } from "./ui.js";

// The updates a step requires, and whether they are already installed.
function kbList(list, satisfied) {
  if (!list || list.length === 0) return "—";
  return h(
    "span",
    { class: "kbs", title: satisfied === false ? "not installed yet: an earlier step of this plan installs it" : "already installed" },
    list.join(", "),
    satisfied === false ? h("span", { class: "sub" }, "from an earlier step") : h("span", { class: "sub" }, "installed"),
  );
}

function summary(plan, steps) {
  const fin = plan.final_state || {};
  return h(
    "p",
    { class: "plan-summary", id: "plan-summary" },
    steps.length
      ? `${plural(steps.length, "step")}, ${num(plan.reboots)} restart${plan.reboots === 1 ? "" : "s"}; afterwards build ${dash(fin.build)}, patched through ${dash(fin.patched_through)}.`
      : `Nothing to install: build ${dash(fin.build)}, patched through ${dash(fin.patched_through)}.`,
    plan.programme && plan.programme.name ? ` Programme: ${plan.programme.name}${plan.programme.inferred ? " (inferred)" : ""}.` : null,
  );
}

function stepRow(st) {
  return h(
    "tr",
    null,
    h("td", { class: "num" }, dash(st.order)),
    h("td", { class: "nowrap mono" }, dash(st.kb)),
    h("td", { class: "title wide" }, dash(st.title), st.why ? h("span", { class: "sub" }, st.why) : null),
    h("td", { class: "nowrap" }, words(st.kind)),
    h("td", null, st.reboot ? h("span", { class: "badge reboot", title: st.reboot_note || "restart needed" }, "restart") : h("span", { class: "zero" }, "no")),
    h("td", null, kbList(st.requires, st.satisfied)),
    h("td", null, Array.isArray(st.known_issues) && st.known_issues.length ? h("ul", { class: "issues" }, st.known_issues.map((k) => h("li", null, String(k)))) : "—"),
  );
}

function stepsTable(steps) {
  return table(
    "Install plan steps, in order",
    [th("#", "num"), th("Update"), th("Title"), th("Kind"), th("Restart"), th("Requires"), th("Known issues")],
    steps.map(stepRow),
    { id: "plan-steps" },
  );
}

function failure(f) {
  return h(
    "li",
    { class: "failure" },
    h("p", null, h("strong", { class: "mono" }, dash(f.kb)), f.error ? [" ", h("span", { class: "badge bad mono" }, f.error + (f.symbol ? " " + f.symbol : ""))] : " (error code not in the data)"),
    h("p", null, h("strong", null, "Cause: "), dash(f.cause)),
    h("p", null, h("strong", null, "Fix: "), dash(f.fix)),
    sources(f.source),
  );
}

function failureList(failures) {
  return [
    h("h3", { id: "failures-h" }, `Predicted failures (${failures.length})`),
    h("ul", { class: "failures", id: "plan-failures", "aria-labelledby": "failures-h" }, failures.map(failure)),
  ];
}

// The first 20 KEV CVEs that stay open, linked to their pages.
function kevOpen(kev) {
  return h(
    "ul",
    { class: "issues cols" },
    kev.slice(0, 20).map((c) =>
      h("li", null, isCve(c.cve) ? h("a", { href: cveHref(c.cve), class: "mono" }, c.cve) : dash(c.cve), " ", c.ransomware ? h("span", { class: "badge ransom" }, "ransomware") : null, " ", dash(c.title)),
    ),
    kev.length > 20 ? h("li", null, `… and ${kev.length - 20} more: see "KEV only" under Exposure`) : null,
  );
}

function cannotPatch(cpf) {
  const kev = Array.isArray(cpf.kev_exposed) ? cpf.kev_exposed : [];
  return h(
    "div",
    { class: "panel", id: "cannot-patch" },
    h("h3", null, "Cannot patch further"),
    h(
      "p",
      null,
      cpf.programme_ended ? `The update programme ended ${cpf.programme_ended}. ` : null,
      typeof cpf.open_without_fix === "number" ? `${num(cpf.open_without_fix)} CVEs stay open with no update to install` : null,
      kev.length ? `, ${kev.length} of them in CISA KEV:` : ".",
    ),
    kev.length ? kevOpen(kev) : null,
  );
}

export function planView(plan) {
  if (!plan || typeof plan !== "object") {
    return h("p", { class: "empty", id: "no-plan" }, "No install plan stored: the latest scan did not produce one (a failed or unsupported scan, or a scan older than plans).");
  }
  const steps = Array.isArray(plan.steps) ? plan.steps : [];
  const failures = Array.isArray(plan.predicted_failures) ? plan.predicted_failures : [];
  const cpf = plan.cannot_patch_further;
  return h(
    "div",
    { class: "plan" },
    summary(plan, steps),
    steps.length ? stepsTable(steps) : null,
    failures.length ? failureList(failures) : null,
    plan.stops ? h("p", { class: "stops", id: "plan-stops" }, h("strong", null, "Stops: "), String(plan.stops)) : null,
    cpf && typeof cpf === "object" ? cannotPatch(cpf) : null,
  );
}
