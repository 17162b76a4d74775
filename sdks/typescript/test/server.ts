// Starts a real eventstored (memory backend) on a free port for a test file.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before } from "node:test";
import { EventStoreClient } from "@eventstore/client";

const repo = path.resolve(__dirname, "..", "..", "..", "..");
export const EVENTSTORED = process.env.EVENTSTORED || path.join(repo, "build", "bin", "eventstored");
export const MEMORY_PLUGIN = process.env.EVENTSTORE_MEMORY_PLUGIN || path.join(repo, "build", "plugins", "memory.so");

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

export class TestServer {
  private child: ChildProcess | undefined;
  private log = "";
  private readonly dir = mkdtempSync(path.join(tmpdir(), "eventstore-ts-"));
  private constructor(
    readonly port: number,
    private readonly extraConfig: string,
  ) {}

  get target(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** Starts a server on a free port and waits until it listens; `extraConfig` is appended to its YAML config. */
  static async start(extraConfig = ""): Promise<TestServer> {
    const server = new TestServer(await freePort(), extraConfig);
    await server.launch();
    return server;
  }

  /** (Re)starts the process on the same port (the memory backend starts empty). */
  async launch(): Promise<void> {
    const config = path.join(this.dir, "eventstore.yaml");
    writeFileSync(config, `listen: ${this.target}\nbackend:\n  plugin: ${MEMORY_PLUGIN}\n${this.extraConfig}`);
    this.log = "";
    const child = spawn(EVENTSTORED, ["--config", config], { stdio: ["ignore", "ignore", "pipe"] });
    this.child = child;
    // never leave a server behind, even if the test process ends abruptly
    const killOnExit = () => child.kill("SIGKILL");
    process.once("exit", killOnExit);
    child.once("exit", () => process.off("exit", killOnExit));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`eventstored did not start in 20 s:\n${this.log}`)), 20_000);
      child.stderr!.setEncoding("utf8");
      child.stderr!.on("data", (chunk: string) => {
        this.log += chunk;
        if (this.log.includes("listening on")) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once("exit", (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`eventstored exited (${code ?? signal}) before listening:\n${this.log}`));
      });
      child.once("error", (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
  }

  /** SIGTERM, and wait for the process to exit (SIGKILL after 10 s). */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      child.once("exit", () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill("SIGTERM");
    });
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  get stderr(): string {
    return this.log;
  }
}

/** A server of their own for the tests of the enclosing file or describe block: started before
 * them, with a client of it (30 s call timeout) handed to `use`; after them the client is closed
 * and the server stopped and removed. */
export function serveClient(use: (client: EventStoreClient) => void): void {
  let server: TestServer | undefined;
  let client: EventStoreClient | undefined;
  before(async () => {
    server = await TestServer.start();
    client = new EventStoreClient(server.target, { timeoutMs: 30_000 });
    use(client);
  });
  after(async () => {
    client?.close();
    await server?.dispose();
  });
}

/** A stream id no other test uses. */
let counter = 0;
export function uniqueStream(prefix = "s"): string {
  counter += 1;
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${counter}`;
}
