// Debian's Chromium (or CHROMIUM=path) as every browser test starts it: headless, in a
// fresh profile that is removed afterwards, with none of the browser's own requests
// (updates, sync, QUIC).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { chromium } from "playwright-core";

const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

// A browser context with Playwright's `options`; `close()` ends it and removes its profile.
export async function launch(options = {}) {
  const profile = mkdtempSync(join(tmpdir(), "brochure-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: ARGS,
    ...options,
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
