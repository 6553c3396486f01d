import type { Backend } from '../bindings/commands';
import { backendFrom } from './transport';
import { apiError, toApiError } from './errors';

/** The header naming the dev server's world (crates/devserver). */
export const WORLD_HEADER = 'x-walletdesk-world';

export interface HttpOptions {
  /** The dev server's address; '' for the page's own origin (Vite proxies `/invoke`). */
  baseUrl: string;
  /** The world to run in; the server's default world when absent. May still be being made. */
  world?: Promise<string> | string;
}

/**
 * The backend over the dev server (`walletdesk-dev`): `POST /invoke/<command>` with the args
 * object; a refusal comes back as the `{code, message}` body with an error status.
 */
export function createHttpBackend(options: HttpOptions): Backend {
  return backendFrom(async (command, args) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (options.world !== undefined) headers[WORLD_HEADER] = await options.world;
    let response: Response;
    try {
      response = await fetch(`${options.baseUrl}/invoke/${command}`, {
        method: 'POST',
        headers,
        body: JSON.stringify(args),
      });
    } catch (err) {
      throw apiError('internal', `the dev server did not answer: ${toApiError(err).message}`);
    }
    const body: unknown = await response.json().catch(() => null);
    if (!response.ok) throw toApiError(body ?? `${response.status} ${response.statusText}`);
    return body;
  });
}
