#!/usr/bin/env node
// Launcher of the npm package: runs the Linux x64 binary this package carries (dist/linux-x64/),
// telling it where the Agora Web SDK this package depends on is (AGORA_DOCTOR_PACKAGED_WEB_SDK), so
// `probe` finds it when the working directory's project has none of its own.
"use strict";
const fs = require("fs");
const path = require("path");
const { spawnSync } = require("child_process");

const binary = path.join(__dirname, "..", "dist", "linux-x64", "agora-doctor");
const env = { ...process.env };
// Node's own lookup order for the bare name from this file (this package's node_modules first, then
// the folders it is hoisted into). Not require.resolve("agora-rtc-sdk-ng/package.json"): 4.7+'s
// "exports" map does not export package.json, so that throws. None found (e.g. --omit): agora-doctor
// then looks elsewhere and says what it found.
const sdk = (require.resolve.paths("agora-rtc-sdk-ng") || [])
  .map((dir) => path.join(dir, "agora-rtc-sdk-ng"))
  .find((dir) => fs.existsSync(path.join(dir, "package.json")));
if (sdk) {
  env.AGORA_DOCTOR_PACKAGED_WEB_SDK = sdk;
}
const run = spawnSync(binary, process.argv.slice(2), { stdio: "inherit", env });
if (run.error) {
  console.error(`agora-doctor: could not start ${binary}: ${run.error.message}`);
  process.exit(2);
}
if (run.signal) {
  process.kill(process.pid, run.signal);
}
process.exit(run.status === null ? 2 : run.status);
