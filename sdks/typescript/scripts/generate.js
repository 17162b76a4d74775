#!/usr/bin/env node
// Generates the TypeScript stubs from the repository's proto/ into src/generated/ (gitignored)
// with Debian's protoc and the ts-proto plugin from node_modules. Run it as `npm run generate`.
// EVENTSTORE_PROTO_DIR overrides where the .proto files are read from (default: ../../proto).
"use strict";
const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const protoDir = path.resolve(process.env.EVENTSTORE_PROTO_DIR || path.join(root, "..", "..", "proto"));
const outDir = path.join(root, "src", "generated");
const protoc = process.env.PROTOC || "/usr/bin/protoc";
const plugin = path.join(root, "node_modules", ".bin", "protoc-gen-ts_proto");

const options = [
  "outputServices=grpc-js",
  "esModuleInterop=true",
  "env=node",
  "forceLong=bigint",
  "oneof=unions",
  "useMapType=true",
  "useExactTypes=false",
  "outputTypeAnnotations=static-only",
  "useOptionals=none",
];

fs.rmSync(outDir, { recursive: true, force: true });
fs.mkdirSync(outDir, { recursive: true });
const args = [
  `--plugin=protoc-gen-ts_proto=${plugin}`,
  `--ts_proto_out=${outDir}`,
  `--ts_proto_opt=${options.join(",")}`,
  `-I${protoDir}`,
  "-I/usr/include",
  "eventstore/v1/eventstore.proto",
  "google/rpc/status.proto",
];
execFileSync(protoc, args, { stdio: "inherit" });
console.log(`generated stubs from ${protoDir} into ${path.relative(process.cwd(), outDir) || outDir}`);
