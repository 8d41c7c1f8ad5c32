#!/usr/bin/env node
// Entry point of the `sluice` command: the compiled CLI lives in dist/ (built by `npm ci` via "prepare").
import('../dist/cli/main.js').catch((err) => {
  console.error(err && err.stack ? err.stack : String(err));
  process.exit(1);
});
