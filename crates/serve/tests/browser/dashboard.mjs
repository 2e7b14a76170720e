// Browser test of the `w2k8 serve` dashboard: drives the live server in
// headless Debian Chromium (playwright-core, no browser download) the way
// an administrator would: signs in with the token, reads the overview and
// its charts, searches, sorts and filters the host list, opens a host (its
// standing, missing updates, exposure, install plan), the CVE list and a
// CVE's hosts; checks that a host named `<script>alert(1)</script>` shows as
// text and runs nothing, that no request leaves the server's origin, that
// nothing breaks the CSP or logs an error, and that a wrong token brings the
// sign-in form back. Expected values come from the API itself (asked from
// Node with the token), so the page is checked against what it was served.
//
// Usage: node dashboard.mjs BASE_URL TOKEN_FILE OUT_DIR
// Exits 1 listing every failed check.
import { chromium } from "playwright-core";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const [base, tokenFile, outDir] = process.argv.slice(2);
if (!base || !tokenFile || !outDir) {
  console.error("usage: node dashboard.mjs BASE_URL TOKEN_FILE OUT_DIR");
  process.exit(2);
}
const origin = new URL(base).origin;
const token = readFileSync(tokenFile, "utf8").trim();
const hostile = "<script>alert(1)</script>";

const failures = [];
const check = (ok, what) => {
  console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
  if (!ok) failures.push(what);
};

// The API as the page should see it.
async function api(path) {
  const res = await fetch(origin + path, { headers: { Authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status} ${await res.text()}`);
  return res.json();
}
const summary = await api("/api/summary");
const allHosts = (await api("/api/hosts?limit=1000")).hosts;
const kevHosts = (await api("/api/hosts?limit=1000&filter=kev%3E0")).hosts;

const profile = mkdtempSync(join(tmpdir(), "w2k8-chromium-"));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
  ],
  viewport: { width: 1366, height: 768 },
});
const shot = (page, name, fullPage = true) => page.screenshot({ path: join(outDir, `dashboard-${name}.png`), fullPage });
const waitFor = (page, fn, arg, what) =>
  page.waitForFunction(fn, arg, { timeout: 8000 }).then(() => true, () => { console.log(`     (timed out waiting: ${what})`); return false; });

// Layout problems of every chart: a text clipped by its SVG, two texts that
// overlap (two labels rotated alike: their ends closer than a line).
const chartProblems = (page) =>
  page.$$eval("svg", (svgs) => {
    const out = [];
    for (const svg of svgs) {
      const sb = svg.getBoundingClientRect();
      if (sb.width < 50) continue;
      const boxes = [...svg.querySelectorAll("text")].filter((t) => t.textContent.trim()).map((t) => ({ t: t.textContent, rotated: !!t.getAttribute("transform"), r: t.getBoundingClientRect() }));
      for (const b of boxes) {
        if (b.r.left < sb.left - 0.5 || b.r.right > sb.right + 0.5 || b.r.top < sb.top - 0.5 || b.r.bottom > sb.bottom + 0.5) out.push(`${svg.id}: "${b.t}" clipped`);
      }
      for (let i = 0; i < boxes.length; i++) {
        for (let j = i + 1; j < boxes.length; j++) {
          const a = boxes[i].r, b = boxes[j].r;
          if (boxes[i].rotated && boxes[j].rotated) {
            if (Math.abs(a.right - b.right) < 0.9 * Math.min(a.height, b.height)) out.push(`${svg.id}: "${boxes[i].t}" overlaps "${boxes[j].t}"`);
          } else if (a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5) {
            out.push(`${svg.id}: "${boxes[i].t}" overlaps "${boxes[j].t}"`);
          }
        }
      }
    }
    return out;
  });
const pageOverflow = (page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

try {
  const page = context.pages()[0] || (await context.newPage());
  const dialogs = [];
  const errors = [];
  const foreign = [];
  const badResponses = [];
  const violations = [];
  await page.exposeFunction("__w2k8Violation", (v) => violations.push(v));
  await context.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      window.__w2k8Violation(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber}`);
    });
  });
  page.on("dialog", (d) => { dialogs.push(`${d.type()}: ${d.message()}`); d.dismiss().catch(() => {}); });
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => {
    // Failed loads are judged by status below (401 before sign-in is the design).
    if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) errors.push(m.text());
  });
  page.on("request", (r) => {
    const u = new URL(r.url());
    if (u.origin !== origin && u.protocol !== "data:") foreign.push(r.url());
  });
  page.on("response", (r) => { if (r.status() >= 400) badResponses.push(`${r.status()} ${new URL(r.url()).pathname}${new URL(r.url()).search}`); });

  // ---- Sign in.
  await page.goto(base, { waitUntil: "load" });
  const signinShown = await waitFor(page, () => !!document.getElementById("signin"), null, "sign-in form");
  check(signinShown, "without a token the page asks for it (sign-in form)");
  check((await page.title()) === "Sign in · w2k8 fleet", `sign-in page title (${await page.title()})`);
  check(await page.evaluate(() => document.activeElement?.id === "token"), "the token field has the keyboard focus");
  check((await page.getAttribute("#token", "type")) === "password", "the token field is a password input");
  await page.fill("#token", token);
  await page.press("#token", "Enter");
  await waitFor(page, () => !!document.getElementById("total-hosts"), null, "overview");
  check(await page.evaluate(() => sessionStorage.getItem("w2k8.token") !== null), "the token is kept in sessionStorage");

  // ---- Overview.
  check((await page.title()) === "Overview · w2k8 fleet", `overview title (${await page.title()})`);
  const total = async (id) => Number((await page.textContent(`#total-${id} .n`))?.replace(/,/g, ""));
  const t = summary.totals;
  check((await total("hosts")) === t.hosts && t.hosts === allHosts.length, `total hosts shows ${t.hosts}`);
  check((await total("kev")) === t.kev_hosts, `KEV-exposed hosts shows ${t.kev_hosts}`);
  check((await total("ransomware")) === t.ransomware_hosts, `ransomware-exposed hosts shows ${t.ransomware_hosts}`);
  check((await total("failed")) === t.failed && t.failed > 0, `failed shows ${t.failed}`);
  check((await total("unsupported")) === t.unsupported, `unsupported shows ${t.unsupported}`);
  check((await total("scans")) === t.scans, `scans shows ${t.scans}`);
  for (const [id, buckets] of [["chart-build", summary.by_build], ["chart-kev", summary.by_kev], ["chart-month", summary.by_patched_through]]) {
    const bars = await page.locator(`svg#${id} rect.bar`).count();
    check(bars === buckets.length && bars > 0, `${id} has ${buckets.length} bars (found ${bars})`);
    const box = await page.locator(`svg#${id}`).boundingBox();
    check(box !== null && box.width > 300 && box.height > 120, `${id} is laid out (${box && Math.round(box.width)}x${box && Math.round(box.height)})`);
    const heights = await page.$$eval(`svg#${id} rect.bar`, (rs) => rs.map((r) => r.getBBox().height));
    const want = buckets.map((b) => b.hosts > 0);
    check(heights.every((hgt, i) => (hgt > 0) === want[i]), `${id}: every non-empty bucket has a visible bar (${heights.map((x) => x.toFixed(0)).join(",")})`);
    const tallest = Math.max(...heights);
    check(tallest > 60, `${id}: the tallest bar is drawn (${tallest.toFixed(1)} px)`);
  }
  const buildBars = await page.$$eval("svg#chart-build g title", (ts) => ts.map((x) => x.textContent));
  check(summary.by_build.every((b) => buildBars.includes(`${b.label}: ${b.hosts} host${b.hosts === 1 ? "" : "s"}`)), `build chart bars are labelled ${summary.by_build.map((b) => b.label + "=" + b.hosts).join(" ")}`);
  check(summary.by_build.some((b) => b.label === "7601" && b.hosts === 1) && buildBars.some((t) => t.startsWith("7601: 1 host")), "the 2008 R2 SP1 host has a build 7601 bar");
  check(summary.history.length >= 3, `the exposure history has ${summary.history.length} points (3 scan dates)`);
  for (const id of ["chart-history", "chart-cves"]) {
    const lens = await page.$$eval(`svg#${id} path.line`, (ps) => ps.map((p) => p.getTotalLength()));
    const areas = await page.$$eval(`svg#${id} path.area`, (ps) => ps.map((p) => p.getBBox().width * p.getBBox().height));
    check(lens.length >= 1 && lens.every((l) => l > 100), `${id} has drawn lines (${lens.map((l) => l.toFixed(0)).join(", ")})`);
    check(areas.length === 1 && areas.every((a) => a > 100), `${id} has a filled area (${areas.map((a) => a.toFixed(0)).join(", ")})`);
  }
  const topCves = await page.locator("#top-cves tbody tr").count();
  check(topCves === Math.min(12, summary.top_cves.length) && topCves > 0, `top CVEs table has ${topCves} rows`);
  const firstTop = await page.textContent("#top-cves tbody tr:first-child td:first-child");
  check(firstTop === summary.top_cves[0].cve, `top CVE is ${summary.top_cves[0].cve} (got ${firstTop})`);
  const kevBadges = await page.locator("#top-cves tbody tr:first-child .badge.kev").count();
  check(kevBadges === (summary.top_cves[0].kev ? 1 : 0), "the top CVE carries its KEV badge");
  const topMissing = await page.locator("#top-missing tbody tr").count();
  check(topMissing === Math.min(12, summary.top_missing.length) && topMissing > 0, `top missing updates table has ${topMissing} rows`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(overflow <= 0, `the overview fits a 1366 px wide screen (overflow ${overflow} px)`);
  // The headline: hosts assessed and not, % current, KEV hosts, the trend or "first scan".
  const hl = summary.headline;
  check(!!hl && hl.hosts === allHosts.length && hl.not_assessed === allHosts.filter((x) => x.status !== "ok").length, "the summary has a headline counting the hosts not assessed");
  const hlHosts = await page.textContent("#hl-hosts");
  check(hlHosts.includes(`${hl.assessed} assessed`) && hlHosts.includes(`${hl.not_assessed} not assessed`), `headline: hosts assessed and not (${hlHosts})`);
  check((await page.textContent("#hl-current .n")) === `${hl.current_percent}%`, `headline: ${hl.current_percent}% current`);
  check(Number((await page.textContent("#hl-kev .n")).replace(/,/g, "")) === hl.kev_hosts && hl.kev_hosts === t.kev_hosts, "headline: KEV-exposed hosts");
  const hlTrend = await page.textContent("#hl-trend");
  check(hl.trend ? hlTrend.includes(`since ${hl.trend.since}`) : hlTrend.includes("first scan"), `headline: the trend since the previous round, or "first scan" (${hlTrend})`);
  check(!!hl.trend && hl.trend.since === summary.history[summary.history.length - 2].date, "the trend compares the last two scan rounds of the history");
  await shot(page, "overview");

  // 1440 px: no chart label overlaps another or is clipped; 390 px: nothing overflows sideways.
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.waitForTimeout(200);
  const wideProblems = await chartProblems(page);
  check(wideProblems.length === 0, `at 1440 px no chart label overlaps or is clipped (${wideProblems.slice(0, 6).join("; ")})`);
  check((await pageOverflow(page)) <= 0, "at 1440 px the overview does not overflow sideways");
  await shot(page, "overview-1440", false);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(200);
  check((await pageOverflow(page)) <= 0, `at 390 px the overview does not overflow sideways (${await pageOverflow(page)} px)`);
  const hlBox = await page.$eval("#headline", (e) => { const r = e.getBoundingClientRect(); return [Math.round(r.left), Math.round(r.right)]; });
  check(hlBox[0] >= 0 && hlBox[1] <= 390, `at 390 px the headline fits (${hlBox.join("-")})`);
  await shot(page, "overview-390", false);
  await page.setViewportSize({ width: 1366, height: 768 });

  // ---- Host list.
  await page.click("nav a[data-nav=hosts]");
  await waitFor(page, () => !!document.querySelector("#host-table tbody tr"), null, "host table");
  check((await page.title()) === "Hosts · w2k8 fleet", `host list title (${await page.title()})`);
  check((await page.getAttribute("nav a[data-nav=hosts]", "aria-current")) === "page", "the Hosts tab is marked current");
  const rowCount = () => page.locator("#host-table tbody tr").count();
  check((await rowCount()) === allHosts.length, `host table has ${allHosts.length} rows (found ${await rowCount()})`);
  const names = await page.$$eval("#host-table tbody td.name a", (as) => as.map((a) => a.textContent));
  check(names.includes(hostile), "the hostile host name is shown as text in the list");
  check((await page.locator("script").count()) === 1, "the page has only its own script element");
  // Riskiest first by default: the hosts not assessed lead, highlighted, then the most KEV.
  const riskRows = await page.$$eval("#host-table tbody tr", (trs) => trs.map((tr) => [tr.className, tr.cells[2].textContent]));
  const unreadCount = allHosts.filter((x) => x.status !== "ok").length;
  check(riskRows.slice(0, unreadCount).every(([c]) => c === "unassessed") && riskRows.slice(unreadCount).every(([c]) => c !== "unassessed"), `the ${unreadCount} hosts not assessed lead the list, highlighted`);
  const riskKev = riskRows.slice(unreadCount).map(([, k]) => Number(k.replace(/,/g, "").replace(/^≥/, "")));
  check(riskKev.every((v, i) => i === 0 || riskKev[i - 1] >= v), `then the most open KEV CVEs first (${riskKev.join(",")})`);
  check((await page.getAttribute("#sort-risk", "aria-pressed")) === "true", "the 'Riskiest first' button shows the order in use");
  // 390 px: the key columns (name, status, KEV, missing) in view, the page not wider than the screen.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(200);
  check((await pageOverflow(page)) <= 0, `at 390 px the host list does not overflow sideways (${await pageOverflow(page)} px)`);
  const keyCols = await page.$$eval("#host-table thead th", (ths) => ths.slice(0, 4).map((th) => { const r = th.getBoundingClientRect(); return [th.textContent.replace(/[▲▼↕]/g, ""), Math.round(r.left), Math.round(r.right)]; }));
  check(keyCols.map(([x]) => x).join(",") === "Host,Status,KEV,Missing", `the key columns come first (${keyCols.map(([x]) => x).join(",")})`);
  check(keyCols.every(([, l, r]) => l >= 0 && r <= 390), `at 390 px the key columns are in view (${keyCols.map(([x, l, r]) => `${x} ${l}-${r}`).join(", ")})`);
  await page.locator("#host-table").scrollIntoViewIfNeeded();
  await shot(page, "hosts-390", false);
  await page.setViewportSize({ width: 1366, height: 768 });

  // Search.
  const sqlHosts = allHosts.filter((h) => h.name.toLowerCase().includes("sql"));
  await page.fill("#host-search", "sql");
  const searched = await waitFor(page, (n) => document.querySelectorAll("#host-table tbody tr").length === n, sqlHosts.length, "search results");
  const sqlNames = await page.$$eval("#host-table tbody td.name a", (as) => as.map((a) => a.textContent));
  check(searched && sqlHosts.length > 0 && sqlNames.every((n) => n.toLowerCase().includes("sql")), `search "sql" lists the ${sqlHosts.length} SQL hosts (${sqlNames.join(", ")})`);
  check(page.url().includes("q=sql"), "the search is in the address (bookmarkable)");
  check(await page.evaluate(() => document.activeElement?.id === "host-search"), "the search box keeps the focus while the list updates");
  await page.fill("#host-search", "");
  await waitFor(page, (n) => document.querySelectorAll("#host-table tbody tr").length === n, allHosts.length, "search cleared");

  // Sort by the KEV column, from the keyboard.
  const kevCol = 3;
  // A host that was not assessed shows "n/a" (never 0) and sorts below every count.
  const kevValues = () =>
    page.$$eval(`#host-table tbody td:nth-child(${kevCol})`, (tds) =>
      tds.map((td) => (td.textContent === "n/a" ? -Infinity : Number(td.textContent.replace(/,/g, "").replace(/^≥/, "")))),
    );
  await page.focus("#host-table th[data-sort=kev_open] button");
  await page.keyboard.press("Enter");
  await waitFor(page, () => document.querySelector("#host-table th[data-sort=kev_open]")?.getAttribute("aria-sort") === "descending", null, "sorted desc");
  let kevs = await kevValues();
  const unread = allHosts.filter((x) => x.status !== "ok").length;
  check(unread > 0 && kevs.filter((v) => v === -Infinity).length === unread, `every host not assessed shows n/a for KEV (${unread})`);
  check(kevs.length === allHosts.length && kevs.every((v, i) => i === 0 || kevs[i - 1] >= v), `Enter on the KEV header sorts descending (${kevs.join(",")})`);
  const most = [...allHosts].sort((a, b) => b.kev_open - a.kev_open)[0];
  check((await page.textContent("#host-table tbody tr:first-child td.name a")) === most.name, `the most KEV-exposed host (${most.name}) is first`);
  await page.click("#host-table th[data-sort=kev_open] button");
  await waitFor(page, () => document.querySelector("#host-table th[data-sort=kev_open]")?.getAttribute("aria-sort") === "ascending", null, "sorted asc");
  kevs = await kevValues();
  check(kevs.every((v, i) => i === 0 || kevs[i - 1] <= v), `a second click sorts ascending (${kevs.join(",")})`);
  await page.click("#host-table th[data-sort=name] button");
  await waitFor(page, () => document.querySelector("#host-table th[data-sort=name]")?.getAttribute("aria-sort") === "ascending", null, "sorted by name");

  // Filter chips.
  await page.click("button.chip:text-is('KEV > 0')");
  await waitFor(page, (n) => document.querySelectorAll("#host-table tbody tr").length === n, kevHosts.length, "KEV filter");
  kevs = await kevValues();
  check(kevs.length === kevHosts.length && kevs.every((v) => v > 0), `chip "KEV > 0" keeps the ${kevHosts.length} KEV-exposed hosts (${kevs.join(",")})`);
  check((await page.getAttribute("button.chip:text-is('KEV > 0')", "aria-pressed")) === "true", "the KEV chip shows as pressed");
  await page.click("button.chip:text-is('build 6002')");
  const b6002 = allHosts.filter((h) => h.build === 6002 && h.kev_open > 0).length;
  await waitFor(page, (n) => document.querySelectorAll("#host-table tbody tr").length === n, b6002, "build 6002 filter");
  // The Build column found by its header, so that a new column elsewhere does not move the check.
  const buildCol = 1 + (await page.$$eval("#host-table thead th", (ths) => ths.findIndex((th) => th.textContent.trim().startsWith("Build"))));
  const builds = await page.$$eval(`#host-table tbody td:nth-child(${buildCol})`, (tds) => tds.map((td) => td.textContent));
  check(builds.length === b6002 && builds.every((b) => b === "6002"), `chip "build 6002" on top keeps ${b6002} hosts (${builds.join(",")})`);
  await shot(page, "hosts-filtered", false);
  // A filter expression the server does not understand is reported, not swallowed.
  await page.fill("#filter-expr", "nonsense~~1");
  await page.press("#filter-expr", "Enter");
  const bad = await waitFor(page, () => !!document.getElementById("filter-error"), null, "filter error");
  check(bad, "a bad filter expression shows the server's message");
  await page.goto(base + "#/hosts", { waitUntil: "load" });
  await waitFor(page, (n) => document.querySelectorAll("#host-table tbody tr").length === n, allHosts.length, "host list again");
  check((await rowCount()) === allHosts.length, "a reload keeps the session (token in sessionStorage)");
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot(page, "hosts");

  // ---- Host detail: the host with predicted failures in its plan.
  const target = "SRV-CTX00000";
  const detail = await api("/api/hosts/" + encodeURIComponent(target));
  await page.click(`#host-table a:text-is('${target}')`);
  const opened = await waitFor(page, (n) => document.getElementById("host-name")?.textContent === n, target, "host detail");
  check(opened, `clicking ${target} opens its detail`);
  check((await page.title()) === `${target} · w2k8 fleet`, `host page title (${await page.title()})`);
  check(await page.evaluate(() => document.activeElement?.tagName === "H1"), "the new view's heading takes the focus");
  check((await page.textContent("#st-build dd")) === String(detail.host.build), `standing shows build ${detail.host.build}`);
  check((await page.textContent("#st-patched dd")) === String(detail.host.patched_through), `standing shows patched through ${detail.host.patched_through}`);
  const missRows = await page.$$eval("#missing-table tbody tr td:nth-child(2)", (tds) => tds.map((td) => td.textContent));
  check(missRows.length > 0 && missRows.join(",") === detail.missing.map((m) => m.kb).join(","), `missing updates in install order (${missRows.join(", ")})`);
  const expRows = await page.locator("#exposure-table tbody tr").count();
  check(expRows === Math.min(50, detail.exposure.length) && expRows > 0, `exposure table shows ${expRows} of ${detail.exposure_total} CVEs`);
  check(detail.exposure_total === detail.host.open_cves && detail.exposure.length === Math.min(100, detail.exposure_total), `the API page holds the riskiest ${detail.exposure.length} of ${detail.exposure_total} CVEs`);
  check((await page.textContent("#exposure-h")).includes(`${detail.exposure_total.toLocaleString("en-US")} open CVEs`), "the exposure heading counts every open CVE");
  check((await page.locator("#exposure-table .badge.kev").count()) > 0, "exposure rows carry KEV badges");
  check((await page.locator("#exposure-table .badge.ransom").count()) > 0, "exposure rows carry ransomware badges");
  check(detail.plan !== null, "the API gives this host a plan");
  const steps = await page.$$eval("#plan-steps tbody tr td:nth-child(2)", (tds) => tds.map((td) => td.textContent));
  check(detail.plan && steps.join(",") === detail.plan.steps.map((s) => s.kb).join(","), `plan steps in order (${steps.join(", ")})`);
  const restarts = await page.locator("#plan-steps .badge.reboot").count();
  check(detail.plan && restarts === detail.plan.steps.filter((s) => s.reboot).length && restarts > 0, `plan marks ${restarts} restarts`);
  const fails = await page.locator("#plan-failures li.failure").count();
  check(detail.plan && fails === detail.plan.predicted_failures.length && fails > 0, `plan lists ${fails} predicted failures`);
  check((await page.locator("#plan-failures .badge.bad").first().textContent())?.includes("0x80092004") === true, "a predicted failure shows its error code 0x80092004");
  check((await page.locator("#scans-table tbody tr").count()) === detail.scans.length, `history lists ${detail.scans.length} scan(s)`);
  await page.click("#exposure-kev");
  const kevOnly = await page.locator("#exposure-table tbody tr").count();
  check(kevOnly === Math.min(50, detail.host.kev_open), `"KEV only" narrows the exposure to ${kevOnly} rows (of ${detail.host.kev_open} KEV CVEs)`);
  await page.click("#exposure-kev");
  if (detail.exposure_total > detail.exposure.length) {
    // The page holds the riskiest CVEs only: "Show all" fetches the rest.
    await page.click("#exposure .more button");
    const allRows = await waitFor(page, (n) => document.querySelectorAll("#exposure-table tbody tr").length === n, detail.exposure_total, "the whole exposure list");
    check(allRows, `"Show all" lists all ${detail.exposure_total} open CVEs (the page held ${detail.exposure.length})`);
  }
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot(page, "host");
  check(page.url().endsWith("#/host-id/" + detail.host.host_id), `the host is linked by its id (${page.url()})`);
  // An address by name still opens the host (one host has it, any case).
  await page.goto(base + "#/host/" + encodeURIComponent(target.toLowerCase()), { waitUntil: "load" });
  check(await waitFor(page, (n) => document.getElementById("host-name")?.textContent === n, target, "host by name"), "#/host/NAME opens the host of that name");

  // Print: no navigation or forms, black on white, tables whole.
  await page.emulateMedia({ media: "print" });
  const print = await page.evaluate(() => ({
    nav: getComputedStyle(document.querySelector(".top nav")).display,
    toolbar: getComputedStyle(document.querySelector(".toolbar")).display,
    bg: getComputedStyle(document.body).backgroundColor,
    ink: getComputedStyle(document.body).color,
    wrap: getComputedStyle(document.querySelector(".table-wrap")).overflowX,
  }));
  check(print.nav === "none" && print.toolbar === "none", `print hides navigation and forms (${print.nav}, ${print.toolbar})`);
  check(print.bg === "rgb(255, 255, 255)" && print.ink === "rgb(0, 0, 0)", `print is black on white (${print.ink} on ${print.bg})`);
  check(print.wrap === "visible", `print does not clip wide tables (overflow ${print.wrap})`);
  await shot(page, "print");
  await page.emulateMedia({ media: "screen" });

  // ---- The hostile host: its name is text everywhere.
  await page.goto(base + "#/hosts", { waitUntil: "load" });
  await waitFor(page, () => !!document.querySelector("#host-table tbody tr"), null, "host list");
  await page.locator("#host-table td.name a", { hasText: hostile }).click();
  const hostileOpened = await waitFor(page, (n) => document.getElementById("host-name")?.textContent === n, hostile, "hostile host");
  check(hostileOpened, "the hostile host opens and its heading is the literal name");
  check((await page.title()) === `${hostile} · w2k8 fleet`, "the hostile name is literal in the title");
  const hostileId = (await api("/api/hosts?q=" + encodeURIComponent(hostile))).hosts[0].host_id;
  check(page.url().endsWith("#/host-id/" + hostileId), "hosts are linked by id: the hostile name is not in the address");
  check((await page.locator("script").count()) === 1, "still only the page's own script element");

  // ---- A name two hosts have (a junk bundle named srv-legacy01): both
  // listed, none picked; choosing one opens it by id.
  await page.goto(base + "#/host/SRV-LEGACY01", { waitUntil: "load" });
  const listed = await waitFor(page, () => document.querySelectorAll("#candidates-table tbody tr").length === 2, null, "candidates");
  check(listed && !!(await page.$("#host-ambiguous")), "a name two hosts have lists both and picks none");
  await page.click("#candidates-table a:text-is('SRV-LEGACY01')");
  const realOpened = await waitFor(page, () => document.getElementById("host-name")?.textContent === "SRV-LEGACY01" && !!document.getElementById("standing"), null, "the real host");
  check(realOpened && /#\/host-id\/\d+$/.test(page.url()), `choosing one opens it by id (${page.url()})`);
  check((await page.textContent("#st-build dd")) === "6002", "the one chosen is the real SRV-LEGACY01 (build 6002)");

  // ---- CVEs.
  await page.click("nav a[data-nav=cves]");
  await waitFor(page, () => !!document.querySelector("#cve-table tbody tr"), null, "CVE table");
  check((await page.title()) === "CVEs · w2k8 fleet", `CVE list title (${await page.title()})`);
  const cveTotal = (await api("/api/cves?limit=1")).total;
  const cveRows = await page.locator("#cve-table tbody tr").count();
  check(cveRows === Math.min(100, cveTotal) && cveRows > 0, `CVE list shows ${cveRows} of ${cveTotal}`);
  await page.click("#chip-kev");
  const kevCveTotal = (await api("/api/cves?kev=true&limit=1")).total;
  await waitFor(page, () => document.getElementById("chip-kev")?.getAttribute("aria-pressed") === "true", null, "KEV chip");
  await waitFor(page, (n) => document.querySelectorAll("#cve-table tbody tr").length === n, Math.min(100, kevCveTotal), "KEV CVEs");
  const withBadge = await page.$$eval("#cve-table tbody tr", (trs) => trs.every((tr) => tr.querySelector(".badge.kev")));
  check(withBadge && (await page.locator("#cve-table tbody tr").count()) === Math.min(100, kevCveTotal), `"KEV only" lists ${Math.min(100, kevCveTotal)} KEV CVEs, each badged`);
  await page.click("#chip-ransomware");
  await waitFor(page, () => document.getElementById("chip-ransomware")?.getAttribute("aria-pressed") === "true", null, "ransomware chip");
  const ransomCves = (await api("/api/cves?kev=true&ransomware=true&limit=1000")).cves;
  await waitFor(page, (n) => document.querySelectorAll("#cve-table tbody tr").length === n, Math.min(100, ransomCves.length), "ransomware CVEs");
  check(await page.$$eval("#cve-table tbody tr", (trs) => trs.length > 0 && trs.every((tr) => tr.querySelector(".badge.ransom"))), `"ransomware only" lists ransomware CVEs, each badged`);
  await shot(page, "cves", false);
  const pick = ransomCves[0].cve;
  const cveDetail = await api("/api/cves/" + pick);
  await page.click(`#cve-table a:text-is('${pick}')`);
  const cveOpened = await waitFor(page, (n) => document.getElementById("cve-id")?.textContent === n, pick, "CVE detail");
  check(cveOpened, `clicking ${pick} opens its page`);
  check((await page.title()) === `${pick} · w2k8 fleet`, `CVE page title (${await page.title()})`);
  const exposed = await page.$$eval("#cve-hosts tbody td.name a", (as) => as.map((a) => a.textContent).sort());
  check(exposed.length > 0 && exposed.join(",") === cveDetail.hosts.map((h) => h.name).sort().join(","), `${pick} lists its ${cveDetail.hosts.length} exposed hosts`);
  await shot(page, "cve");

  // ---- A wrong token brings the sign-in form back.
  await page.click("#signout");
  await waitFor(page, () => !!document.getElementById("signin"), null, "sign-in after sign-out");
  check(await page.evaluate(() => sessionStorage.getItem("w2k8.token") === null), "signing out forgets the token");
  await page.fill("#token", "not-the-token-0123456789");
  await page.click("#signin button[type=submit]");
  const refused = await waitFor(page, () => !!document.getElementById("signin-error") && !!document.getElementById("signin"), null, "refusal");
  check(refused, "a wrong token shows the sign-in form again, saying it was refused");
  check(await page.evaluate(() => sessionStorage.getItem("w2k8.token") === null), "the refused token is not kept");
  check((await page.locator("#cve-hosts").count()) === 0, "no fleet data stays on screen after a refusal");
  await shot(page, "signin", false);

  check(dialogs.length === 0, `no dialog opened (${dialogs.join("; ")})`);
  check(errors.length === 0, `no script or console error (${errors.join("; ")})`);
  check(violations.length === 0, `no CSP violation (${violations.join("; ")})`);
  check(foreign.length === 0, `no request to another origin (${foreign.join(", ")})`);
  const unexpected = badResponses.filter(
    (r) => !/^401 \/api\//.test(r) && !/^400 \/api\/hosts\?.*filter=nonsense/.test(r) && r !== "409 /api/hosts/SRV-LEGACY01",
  );
  check(unexpected.length === 0, `no failed request besides the expected 401s, the bad filter's 400 and the shared name's 409 (${unexpected.join(", ")})`);
  check(badResponses.some((r) => r.startsWith("401 ")), "the API did answer 401 without the token");
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
if (failures.length) {
  console.error(`${failures.length} check(s) failed`);
  process.exit(1);
}
console.log(`dashboard browser test OK; screenshots in ${outDir}`);
