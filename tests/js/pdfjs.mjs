// Read a PDF as pdf.js (a browser's PDF reader) does: the text of every page and the
// structure tree of every page, as JSON on stdout.
//
//   node tests/js/pdfjs.mjs FILE.pdf   ->   {"pages": ["text of page 1", ...], "structTree": [tree of page 1, ...],
//                                           "marked": [{"<marked-content id>": "its text", ...} of page 1, ...]}
//
// Text items are joined as pdf.js reports them (a line break where it says one ends).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";

import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";

const require = createRequire(import.meta.url);
const root = dirname(require.resolve("pdfjs-dist/package.json"));

const file = process.argv[2];
if (!file) {
  process.stderr.write("usage: node tests/js/pdfjs.mjs FILE.pdf\n");
  process.exit(2);
}
const doc = await getDocument({
  data: new Uint8Array(readFileSync(file)),
  standardFontDataUrl: pathToFileURL(join(root, "standard_fonts")).href + "/",
  cMapUrl: pathToFileURL(join(root, "cmaps")).href + "/",
  useSystemFonts: false,
  isEvalSupported: false,
  verbosity: 0,
}).promise;
const pages = [];
const structTree = [];
const marked = [];
for (let n = 1; n <= doc.numPages; n++) {
  const page = await doc.getPage(n);
  const content = await page.getTextContent();
  pages.push(content.items.map((item) => ("str" in item ? item.str + (item.hasEOL ? "\n" : "") : "")).join(""));
  structTree.push(await page.getStructTree());
  // The text of each marked-content sequence, by the id the structure tree refers to it by.
  const withMarks = await page.getTextContent({ includeMarkedContent: true });
  const texts = {};
  const open = [];
  for (const item of withMarks.items) {
    if (item.type === "beginMarkedContentProps" || item.type === "beginMarkedContent") open.push(item.id ?? null);
    else if (item.type === "endMarkedContent") open.pop();
    else if ("str" in item) {
      const id = open.findLast((value) => value !== null);
      if (id) texts[id] = (texts[id] ?? "") + item.str;
    }
  }
  marked.push(texts);
}
await doc.destroy();
process.stdout.write(JSON.stringify({ pages, structTree, marked }));
