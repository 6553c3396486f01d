/// <reference types="node" />
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The dev server's address (`http://127.0.0.1:<port>`), shared by every test file. */
    devServer: string;
  }
}

/** The dev server binary `cargo build --workspace` made, in the same folder scripts/env.sh uses. */
function binary(): string {
  const target = process.env.CARGO_TARGET_DIR ?? join(homedir(), '.cache', 'walletdesk-target');
  return join(target, 'debug', 'walletdesk-dev');
}

let server: ChildProcess | undefined;

/**
 * Starts one dev server (crates/devserver) on a free loopback port for the whole run; each
 * test makes its own world on it. Vitest's globalSetup: the returned function stops it.
 */
export default async function setup(project: TestProject): Promise<() => void> {
  const path = binary();
  if (!existsSync(path)) {
    throw new Error(`${path} is missing: run \`cargo build --workspace\` first (the UI tests run against the real core)`);
  }
  // Quiet unless asked: the tests make the core refuse and fail on purpose, and it logs each.
  const env = { ...process.env, RUST_LOG: process.env.RUST_LOG ?? 'error' };
  const child = spawn(path, ['--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'], env });
  server = child;
  const url = await new Promise<string>((resolve, reject) => {
    let seen = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      seen += chunk;
      const found = /listening on (http:\/\/\S+)/.exec(seen);
      if (found?.[1] !== undefined) resolve(found[1]);
    });
    child.on('exit', (code) => {
      reject(new Error(`walletdesk-dev exited (${String(code)}) before it served`));
    });
    child.on('error', reject);
  });
  project.provide('devServer', url);
  return () => {
    server?.kill();
  };
}
