// Check HTML pages in headless Chromium: axe-core at WCAG 2.2 AA at a desktop and a
// phone width, horizontal scrolling at 320 px and at 200 % zoom (640 CSS px), and every
// request a page makes. One browser for all the pages.
//
//   node tests/js/check_html.mjs < {"files": [...], "screenshots": {"dir": "...", "files": [...]}}
//
// Prints JSON: {"chromium": version, "axe": version, "pages": {file: {violations, widths,
// requests}}, "screenshots": [png...]}. Needs Debian's chromium (or CHROMIUM=path).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, join } from "node:path";
import { pathToFileURL } from "node:url";

import { launch } from "./chromium.mjs";

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];
const DESKTOP = { width: 1280, height: 900 };
const WIDTHS = { phone: 320, zoom200: 640 }; // 200 % zoom of a 1280 px window is 640 CSS px

async function axe(page) {
  await page.addScriptTag({ content: AXE });
  const result = await page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] }),
    TAGS,
  );
  return result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map((n) => ({ target: n.target.join(" "), summary: n.failureSummary })),
  }));
}

async function check(context, file) {
  const page = await context.newPage();
  const url = pathToFileURL(file).href;
  const requests = [];
  page.on("request", (request) => {
    if (request.url() !== url) requests.push(request.url());
  });
  await page.setViewportSize(DESKTOP);
  await page.goto(url, { waitUntil: "load" });
  const violations = (await axe(page)).map((v) => ({ ...v, viewport: "desktop" }));
  const widths = {};
  for (const [name, width] of Object.entries(WIDTHS)) {
    await page.setViewportSize({ width, height: 900 });
    widths[name] = { viewport: width, scrollWidth: await page.evaluate(() => document.documentElement.scrollWidth) };
  }
  await page.setViewportSize({ width: WIDTHS.phone, height: 900 });
  violations.push(...(await axe(page)).map((v) => ({ ...v, viewport: "phone" })));
  await page.close();
  return { violations, widths, requests };
}

async function screenshot(context, file, dir) {
  const page = await context.newPage();
  const shots = [];
  await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
  for (const [name, width] of [["desktop", 1024], ["phone", 320]]) {
    await page.setViewportSize({ width, height: 900 });
    const png = join(dir, `${basename(join(file, ".."))}-${basename(file, ".html")}-${name}.png`);
    await page.screenshot({ path: png, fullPage: true });
    shots.push(png);
  }
  await page.close();
  return shots;
}

const job = JSON.parse(readFileSync(0, "utf8"));
const { context, close } = await launch({
  bypassCSP: true, // axe is injected; the pages' own policy would refuse it
  offline: true,
});
try {
  const probe = await context.newPage();
  const browser = await probe.evaluate(() => navigator.userAgent.match(/Chrome\/[\d.]+/)?.[0] ?? navigator.userAgent);
  await probe.close();
  const out = { chromium: browser, axe: JSON.parse(readFileSync(require.resolve("axe-core/package.json"))).version, pages: {}, screenshots: [] };
  for (const file of job.files) out.pages[file] = await check(context, file);
  for (const file of job.screenshots?.files ?? []) out.screenshots.push(...(await screenshot(context, file, job.screenshots.dir)));
  process.stdout.write(JSON.stringify(out));
} finally {
  await close();
}
