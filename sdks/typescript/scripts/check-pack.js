#!/usr/bin/env node
// Checks the npm tarball as `npm pack --dry-run --json` describes it (read from stdin): it holds
// the README, and package.json's main, types and `exports` map ("." with "types" and "default")
// all point at files in it, each .js with its .d.ts. Exits 1 naming what is missing.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const [pack] = JSON.parse(fs.readFileSync(0, "utf8"));
const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "package.json"), "utf8"));
const files = new Set(pack.files.map((f) => f.path));
const problems = [];
const packed = (what, file) => {
  if (typeof file !== "string") problems.push(`${what} is not set`);
  else if (!files.has(file.replace(/^\.\//, ""))) problems.push(`${what} (${file}) is not in the tarball`);
};
packed("README.md", "README.md");
packed("main", manifest.main);
packed("types", manifest.types);
const root = manifest.exports && manifest.exports["."];
packed('exports["."].types', root && root.types);
packed('exports["."].default', root && root.default);
for (const file of files) {
  if (file.endsWith(".js") && !files.has(file.replace(/\.js$/, ".d.ts"))) problems.push(`${file} has no .d.ts`);
}
if (problems.length > 0) {
  console.error(`npm pack: ${problems.join("; ")}`);
  process.exit(1);
}
console.log(`npm pack: ${pack.filename}, ${files.size} files, types and exports map present`);
