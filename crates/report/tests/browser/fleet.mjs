// Browser test of the fleet HTML report (`w2k8 report --format html`):
// loads the file in headless Debian Chromium (playwright-core, no browser
// download), checks the DOM, sorts by clicking headers, checks that a host
// named `<script>alert(1)</script>` shows as text and runs nothing, and saves
// screenshots (screen and print media, 1440 px and 390 px wide: no sideways
// overflow, the host table's key columns in view, no chart label overlapping).
//
// Usage: node fleet.mjs REPORT.html FIXTURE.json OUT_DIR
// Exits 1 listing every failed check.
import { chromium } from "playwright-core";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [htmlPath, fixturePath, outDir] = process.argv.slice(2);
if (!htmlPath || !fixturePath || !outDir) {
  console.error("usage: node fleet.mjs REPORT.html FIXTURE.json OUT_DIR");
  process.exit(2);
}
const fixture = JSON.parse(readFileSync(fixturePath, "utf8"));
const failures = [];
const check = (ok, what) => {
  console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
  if (!ok) failures.push(what);
};

const profile = mkdtempSync(join(tmpdir(), "w2k8-chromium-"));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
  ],
  viewport: { width: 1366, height: 900 },
});
try {
  const page = context.pages()[0] || (await context.newPage());
  const dialogs = [];
  const errors = [];
  const requests = [];
  page.on("dialog", (d) => { dialogs.push(`${d.type()}: ${d.message()}`); d.dismiss().catch(() => {}); });
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  page.on("request", (r) => { if (!r.url().startsWith("file:")) requests.push(r.url()); });

  await page.goto(pathToFileURL(resolve(htmlPath)).href, { waitUntil: "load" });

  // Totals.
  const total = async (id) => (await page.textContent(`#total-${id} .n`))?.trim();
  check((await total("hosts")) === String(fixture.totals.hosts), `total hosts shows ${fixture.totals.hosts}`);
  check((await total("kev")) === String(fixture.totals.kev_hosts), `KEV-exposed hosts shows ${fixture.totals.kev_hosts}`);
  check((await total("failed")) === String(fixture.totals.failed), `failed shows ${fixture.totals.failed}`);

  // The headline: hosts assessed and not, % current, KEV hosts, the trend or "first scan".
  const assessed = fixture.hosts.filter((x) => x.status === "ok").length;
  const notAssessed = fixture.hosts.length - assessed;
  const hlHosts = await page.textContent("#hl-hosts");
  check(hlHosts.includes(`${assessed} assessed`) && hlHosts.includes(`${notAssessed} not assessed`), `headline: ${assessed} assessed, ${notAssessed} not assessed (${hlHosts})`);
  const current = fixture.hosts.filter((x) => x.status === "ok" && x.missing === 0 && x.counts_are_lower_bound !== true).length;
  const pct = Math.floor((current * 100) / fixture.hosts.length);
  check((await page.textContent("#hl-current .n")).trim() === `${pct}%`, `headline: ${pct}% current (${current} hosts; not assessed never current)`);
  check((await page.textContent("#hl-kev .n")).trim() === String(fixture.totals.kev_hosts), "headline: KEV-exposed hosts");
  const trend = await page.textContent("#hl-trend");
  const hist = fixture.history || [];
  check(hist.length < 2 ? trend.includes("first scan") : trend.includes(`since ${hist[hist.length - 2].date}`), `headline trend matches the history (${trend})`);

  // Host table: one row per host, in risk order: not assessed first, then the most KEV.
  const rows = page.locator("#host-table tbody tr");
  check((await rows.count()) === fixture.hosts.length, `host table has ${fixture.hosts.length} rows`);
  const order = await page.$$eval("#host-table tbody tr", (trs) => trs.map((tr) => [tr.className, tr.cells[2].textContent]));
  const firstAssessed = order.findIndex(([c]) => c !== "unassessed");
  check(firstAssessed === notAssessed && order.slice(firstAssessed).every(([c]) => c !== "unassessed"), `hosts not assessed lead the table (${order.map(([c]) => c || "-").join(",")})`);
  const kevOrder = order.slice(firstAssessed).map(([, k]) => parseInt(k.replace("≥", ""), 10));
  check(kevOrder.every((v, i) => i === 0 || kevOrder[i - 1] >= v), `then by KEV, most first (${kevOrder.join(",")})`);

  // Charts: inline SVG with bars and lines.
  for (const [id, n] of [["chart-build", fixture.by_build.length], ["chart-kev", fixture.by_kev.length], ["chart-month", fixture.by_patched_through.length]]) {
    const bars = await page.locator(`svg#${id} rect.bar`).count();
    check(bars === n, `${id} has ${n} bars (found ${bars})`);
    const box = await page.locator(`svg#${id}`).boundingBox();
    check(box !== null && box.width > 200 && box.height > 80, `${id} is laid out (${box && Math.round(box.width)}x${box && Math.round(box.height)})`);
  }
  const tallest = await page.$eval("svg#chart-build", (svg) => Math.max(...[...svg.querySelectorAll("rect.bar")].map((r) => r.getBBox().height)));
  check(tallest > 50, `the tallest build bar is drawn (${tallest.toFixed(1)} px high)`);
  const lines = await page.$$eval("svg#chart-history path.line", (ps) => ps.map((p) => p.getTotalLength()));
  check(lines.length === 2 && lines.every((l) => l > 100), `exposure chart has 2 drawn lines (${lines.map((l) => l.toFixed(0)).join(", ")})`);

  // The hostile host name: shown literally, ran nothing.
  const hostile = "<script>alert(1)</script>";
  const names = await page.$$eval("#host-table tbody tr th", (tds) => tds.map((td) => td.textContent));
  check(names.includes(hostile), "the hostile host name is shown as text in the table");
  const summary = await page.textContent("#host-2 > summary");
  check(summary !== null && summary.startsWith(hostile), "the hostile host name is shown as text in its detail");
  check((await page.locator("script").count()) === 1, "the page has only its own script element");
  check(names.includes("Ærø-Ünïcødé-服务器"), "the non-ASCII host name shows as is");

  // Sorting: click a header.
  await page.click("#host-table thead th:nth-child(1)");
  let first = await page.textContent("#host-table tbody tr:first-child th");
  check(first === hostile, `sort by Host ascending puts ${JSON.stringify(hostile)} first (got ${JSON.stringify(first)})`);
  const kevHead = page.locator("#host-table thead th", { hasText: /^KEV$/ });
  await kevHead.click();
  await kevHead.click();
  check((await kevHead.getAttribute("aria-sort")) === "descending", "second click on KEV sorts descending");
  // A host that was not assessed shows "n/a" (never 0) and sorts below every count.
  const kevText = await page.$$eval("#host-table tbody tr td:nth-child(3)", (tds) => tds.map((td) => td.textContent));
  const kevs = kevText.map((t) => (t === "n/a" ? -Infinity : Number(t)));
  check(kevText.filter((t) => t === "n/a").length === 2, `the failed and the unsupported host show n/a for KEV (${kevText.join(",")})`);
  check(kevs.every((v, i) => i === 0 || kevs[i - 1] >= v), `KEV column is descending (${kevText.join(",")})`);
  first = await page.textContent("#host-table tbody tr:first-child th");
  check(first === "srv-legacy01", `the most KEV-exposed host is first (got ${first})`);

  // A host link opens its detail.
  // The detail opens on the `hashchange` event, which fires after the click
  // returns: wait for it (up to 5 s) rather than race it.
  await page.click("#host-table a[href='#host-4']");
  const opened = await page
    .waitForFunction(() => document.getElementById("host-4")?.open === true, null, { timeout: 5000 })
    .then(() => true, () => false);
  check(opened, "clicking a host name opens its detail");
  const cveLinks = await page.$$eval("#host-4 p.cves a", (as) => as.map((a) => [a.getAttribute("href"), !!document.getElementById(a.getAttribute("href").slice(1))]));
  check(cveLinks.length > 0 && cveLinks.every(([, there]) => there), `an opened detail's CVEs link to their rows (${cveLinks.map(([h]) => h).join(" ")})`);
  await page.evaluate(() => window.scrollTo(0, 0));

  await page.screenshot({ path: join(outDir, "fleet-report.png"), fullPage: true });

  // 1440 px: chart labels do not overlap, nothing is clipped.
  await page.setViewportSize({ width: 1440, height: 900 });
  const chartProblems = await page.$$eval("svg.chart", (svgs) => {
    const out = [];
    for (const svg of svgs) {
      const vb = svg.viewBox.baseVal;
      const texts = [...svg.querySelectorAll("text")].filter((t) => t.textContent.trim());
      const boxes = texts.map((t) => {
        const r = t.getBoundingClientRect();
        return { t: t.textContent, rotated: !!t.getAttribute("transform"), r };
      });
      const sb = svg.getBoundingClientRect();
      for (const b of boxes) {
        if (b.r.left < sb.left - 0.5 || b.r.right > sb.right + 0.5 || b.r.top < sb.top - 0.5 || b.r.bottom > sb.bottom + 0.5) out.push(`${svg.id}: "${b.t}" clipped`);
      }
      for (let i = 0; i < boxes.length; i++) {
        for (let j = i + 1; j < boxes.length; j++) {
          const a = boxes[i].r, b = boxes[j].r;
          // Two labels rotated alike (anchored at their end, the box's right
          // edge) overlap when their ends are closer than a line of text.
          if (boxes[i].rotated && boxes[j].rotated) {
            if (Math.abs(a.right - b.right) < 0.9 * Math.min(a.height, b.height)) out.push(`${svg.id}: "${boxes[i].t}" overlaps "${boxes[j].t}"`);
            continue;
          }
          if (a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5) out.push(`${svg.id}: "${boxes[i].t}" overlaps "${boxes[j].t}"`);
        }
      }
      if (!vb || vb.width <= 0) out.push(`${svg.id}: no viewBox`);
    }
    return out;
  });
  check(chartProblems.length === 0, `at 1440 px no chart label overlaps another or is clipped (${chartProblems.slice(0, 6).join("; ")})`);
  const wide = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  check(wide[0] <= wide[1], `at 1440 px the page does not overflow sideways (${wide[0]} <= ${wide[1]})`);
  await page.screenshot({ path: join(outDir, "fleet-report-1440.png"), fullPage: false });

  // 390 px (a phone): no sideways overflow of the page; the host table's key columns in view.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.evaluate(() => window.scrollTo(0, 0));
  const narrow = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  check(narrow[0] <= narrow[1], `at 390 px the page does not overflow sideways (${narrow[0]} <= ${narrow[1]})`);
  const keyCols = await page.$$eval("#host-table thead th", (ths) =>
    ths.slice(0, 4).map((th) => { const r = th.getBoundingClientRect(); return [th.textContent, Math.round(r.left), Math.round(r.right)]; }),
  );
  check(keyCols.map(([t]) => t).join(",") === "Host,Status,KEV,Missing", `the key columns come first (${keyCols.map(([t]) => t).join(",")})`);
  check(keyCols.every(([, l, r]) => l >= 0 && r <= 390), `at 390 px the key columns are in view (${keyCols.map(([t, l, r]) => `${t} ${l}-${r}`).join(", ")})`);
  const hl = await page.$eval("#headline", (e) => { const r = e.getBoundingClientRect(); return [Math.round(r.left), Math.round(r.right)]; });
  check(hl[0] >= 0 && hl[1] <= 390, `at 390 px the headline fits (${hl.join("-")})`);
  await page.screenshot({ path: join(outDir, "fleet-report-390.png"), fullPage: false });
  await page.locator("#host-table").scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(outDir, "fleet-report-390-hosts.png"), fullPage: false });
  await page.setViewportSize({ width: 1366, height: 900 });
  await page.emulateMedia({ media: "print" });
  await page.screenshot({ path: join(outDir, "fleet-report-print.png"), fullPage: true });

  check(dialogs.length === 0, `no dialog opened (${dialogs.join("; ")})`);
  check(errors.length === 0, `no script error (${errors.join("; ")})`);
  check(requests.length === 0, `no network request (${requests.join(", ")})`);
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
if (failures.length) {
  console.error(`${failures.length} check(s) failed`);
  process.exit(1);
}
console.log(`browser test OK; screenshots in ${outDir}`);
