// Drive `brochure serve` in headless Chromium as an author would: open a view, then for
// each step write a file of the project and wait (never reloading the page) until the
// page shows what the step expects; time each step and screenshot it.
//
//   node tests/js/serve.mjs < {"url": "...", "timeout": 5000, "shots": "dir",
//       "expect": {"frame": "text in the HTML page"},
//       "steps": [{"name": "...", "file": "...", "text": "...", "expect": {...}}, ...]}
//
// An expectation: {"frame": text in the document's HTML page, "problem": text in the page's
// problems, "noProblems": true}; the PDF's page images must have loaded too. Prints JSON:
// {"steps": [{name, ms, met, problems, images, marker, shot}], "outside": [requests to
// another origin], "blocked": [Content-Security-Policy messages]}.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

import { launch } from "./chromium.mjs";

// What the page shows now: the HTML page's text, the problems, the page images.
async function state(page) {
  const frames = page.frames().filter((frame) => frame !== page.mainFrame());
  let frame = "";
  for (const f of frames) {
    frame += await f.evaluate(() => document.body?.innerText ?? "").catch(() => "");
  }
  const shown = await page.evaluate(() => ({
    problems: [...document.querySelectorAll(".problems li")].map((li) => li.innerText),
    images: [...document.querySelectorAll(".pages img")].map((img) => ({ src: img.getAttribute("src"), width: img.naturalWidth })),
    marker: window.brochureTest === true,
  }));
  return { frame, ...shown };
}

function meets(found, expect) {
  if (expect.frame && !found.frame.includes(expect.frame)) return false;
  if (expect.problem && !found.problems.some((line) => line.includes(expect.problem))) return false;
  if (expect.noProblems && found.problems.length) return false;
  if (!expect.problem && (!found.images.length || found.images.some((image) => image.width === 0))) return false;
  return true;
}

async function waitFor(page, expect, timeout) {
  const start = Date.now();
  let found = await state(page);
  while (!meets(found, expect) && Date.now() - start < timeout) {
    await page.waitForTimeout(25);
    found = await state(page).catch(() => found);
  }
  return { ms: Date.now() - start, met: meets(found, expect), problems: found.problems, images: found.images, marker: found.marker };
}

const job = JSON.parse(readFileSync(0, "utf8"));
const origin = new URL(job.url).origin;
const { context, close } = await launch({ viewport: { width: 1400, height: 1000 } });
const out = { steps: [], outside: [], blocked: [] };
try {
  const page = await context.newPage();
  page.on("request", (request) => {
    if (new URL(request.url()).origin !== origin) out.outside.push(request.url());
  });
  page.on("console", (message) => {
    if (message.text().includes("Content Security Policy")) out.blocked.push(message.text());
  });
  await page.goto(job.url, { waitUntil: "load" });
  const opened = await waitFor(page, job.expect, job.timeout);
  out.steps.push({ name: "open", ...opened });
  await page.evaluate(() => {
    window.brochureTest = true; // gone if the page reloads
  });
  for (const step of job.steps) {
    writeFileSync(step.file, step.text, "utf8");
    const found = await waitFor(page, step.expect, job.timeout);
    const shot = join(job.shots, `serve-${step.name}.png`);
    await page.screenshot({ path: shot, fullPage: false });
    out.steps.push({ name: step.name, ...found, shot }); // marker: the page was never reloaded
  }
  process.stdout.write(JSON.stringify(out));
} finally {
  await close();
}
