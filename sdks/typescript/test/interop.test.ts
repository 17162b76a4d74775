// Runs the interop tool (write, then verify) against a real server: the writer and the reader of
// this SDK must agree with vectors.json, and a difference must be reported with exit code 1.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { promisify } from "node:util";
import { TestServer } from "./server";

const run = promisify(execFile);
const vectors = path.resolve(__dirname, "..", "..", "..", "interop", "vectors.json");
// After test.sh: the tool installed from the npm tarball; otherwise the one compiled in place.
const installed = process.env.EVENTSTORE_SDK_BUILD_DIR && path.join(process.env.EVENTSTORE_SDK_BUILD_DIR, "interop-app", "interop.js");
const tool = installed && existsSync(installed) ? installed : path.resolve(__dirname, "..", "interop", "interop.js");

let server: TestServer;
let dir: string;
before(async () => {
  server = await TestServer.start();
  dir = mkdtempSync(path.join(tmpdir(), "eventstore-ts-interop-"));
});
after(async () => {
  await server?.dispose();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const interop = (mode: string, stream: string, file = vectors) => run(process.execPath, [tool, mode, "--target", server.target, "--stream", stream, "--vectors", file]);

test("write then verify: this SDK's writer and reader agree with vectors.json", async () => {
  const written = await interop("write", "interop-typescript");
  assert.match(written.stdout, /wrote 3 events/);
  const verified = await interop("verify", "interop-typescript");
  assert.match(verified.stdout, /all 3 events identical/);
});

test("verify reports every difference and exits 1", async () => {
  const changed = JSON.parse(readFileSync(vectors, "utf8"));
  changed.events[0].headers["ключ"] = "другое";
  changed.events[2].payload_hex = "00ff";
  const file = path.join(dir, "changed.json");
  writeFileSync(file, JSON.stringify(changed));
  await interop("write", "interop-original");
  const failed = await interop("verify", "interop-original", file).then(
    () => assert.fail("verify should fail"),
    (e: { code: number; stdout: string }) => e,
  );
  assert.equal(failed.code, 1);
  assert.match(failed.stdout, /event 0: header "ключ": want "другое", got "значение"/);
  assert.match(failed.stdout, /event 2: payload: want 00ff, got 00ff0001000000fe/);
});
