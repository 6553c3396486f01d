import type { Backend } from '../bindings/commands';
import { COMMANDS } from '../bindings/commands';

/** Sends one command with its args object (camelCase keys) and answers its result. */
export type Call = (command: string, args: Record<string, unknown>) => Promise<unknown>;

/**
 * A `Backend` over a transport: each method sends its command with its arguments named as the
 * generated table says. The same args object goes to Tauri and to the dev server.
 */
export function backendFrom(call: Call): Backend {
  const methods: Record<string, (...values: unknown[]) => Promise<unknown>> = {};
  for (const [method, { command, args }] of Object.entries(COMMANDS)) {
    const names: readonly string[] = args;
    methods[method] = (...values) =>
      call(command, Object.fromEntries(names.map((name, i) => [name, values[i]])));
  }
  return methods as unknown as Backend;
}
