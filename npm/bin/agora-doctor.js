#!/usr/bin/env node
// Launcher of the npm package: runs the Linux x64 binary this package carries (dist/linux-x64/),
// telling it where the Agora Web SDK this package depends on is (AGORA_DOCTOR_PACKAGED_WEB_SDK), so
// `probe` finds it when the working directory's project has none of its own.
"use strict";
const path = require("path");
const { spawnSync } = require("child_process");

const binary = path.join(__dirname, "..", "dist", "linux-x64", "agora-doctor");
const env = { ...process.env };
try {
  env.AGORA_DOCTOR_PACKAGED_WEB_SDK = path.dirname(
    require.resolve("agora-rtc-sdk-ng/package.json", { paths: [path.join(__dirname, "..")] })
  );
} catch (e) {
  // Not installed (e.g. --omit): agora-doctor then looks elsewhere and says what it found.
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
