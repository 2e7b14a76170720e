// Browser test of the fleet HTML report (`w2k8 report --format html`):
// loads the file in headless Debian Chromium (playwright-core, no browser
// download), checks the DOM, sorts by clicking headers, checks that a host
// named `<script>alert(1)</script>` shows as text and runs nothing, and saves
// screenshots (screen and print media).
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

  // Host table: one row per host.
  const rows = page.locator("#host-table tbody tr");
  check((await rows.count()) === fixture.hosts.length, `host table has ${fixture.hosts.length} rows`);

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
  const names = await page.$$eval("#host-table tbody tr td.name", (tds) => tds.map((td) => td.textContent));
  check(names.includes(hostile), "the hostile host name is shown as text in the table");
  const summary = await page.textContent("#host-2 > summary");
  check(summary !== null && summary.startsWith(hostile), "the hostile host name is shown as text in its detail");
  check((await page.locator("script").count()) === 1, "the page has only its own script element");
  check(names.includes("Ærø-Ünïcødé-服务器"), "the non-ASCII host name shows as is");

  // Sorting: click a header.
  await page.click("#host-table thead th:nth-child(1)");
  let first = await page.textContent("#host-table tbody tr:first-child td.name");
  check(first === hostile, `sort by Host ascending puts ${JSON.stringify(hostile)} first (got ${JSON.stringify(first)})`);
  const kevHead = page.locator("#host-table thead th", { hasText: /^KEV$/ });
  await kevHead.click();
  await kevHead.click();
  check((await kevHead.getAttribute("aria-sort")) === "descending", "second click on KEV sorts descending");
  // A host that was not assessed shows "n/a" (never 0) and sorts below every count.
  const kevText = await page.$$eval("#host-table tbody tr td:nth-child(8)", (tds) => tds.map((td) => td.textContent));
  const kevs = kevText.map((t) => (t === "n/a" ? -Infinity : Number(t)));
  check(kevText.filter((t) => t === "n/a").length === 2, `the failed and the unsupported host show n/a for KEV (${kevText.join(",")})`);
  check(kevs.every((v, i) => i === 0 || kevs[i - 1] >= v), `KEV column is descending (${kevText.join(",")})`);
  first = await page.textContent("#host-table tbody tr:first-child td.name");
  check(first === "srv-legacy01", `the most KEV-exposed host is first (got ${first})`);

  // A host link opens its detail.
  // The detail opens on the `hashchange` event, which fires after the click
  // returns: wait for it (up to 5 s) rather than race it.
  await page.click("#host-table a[href='#host-4']");
  const opened = await page
    .waitForFunction(() => document.getElementById("host-4")?.open === true, null, { timeout: 5000 })
    .then(() => true, () => false);
  check(opened, "clicking a host name opens its detail");
  await page.evaluate(() => window.scrollTo(0, 0));

  await page.screenshot({ path: join(outDir, "fleet-report.png"), fullPage: true });
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
