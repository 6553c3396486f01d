import type { ApiError } from '../bindings/ApiError';
import type { Code } from '../bindings/Code';

export const CODES: readonly Code[] = [
  'invalid_input',
  'weak_password',
  'username_taken',
  'bad_credentials',
  'account_locked',
  'not_signed_in',
  'session_locked',
  'forbidden',
  'not_found',
  'conflict',
  'core_unavailable',
  'internal',
];

export function isCode(value: unknown): value is Code {
  return CODES.some((c) => c === value);
}

export function isApiError(value: unknown): value is ApiError {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return isCode(v.code) && typeof v.message === 'string';
}

export function apiError(code: Code, message: string): ApiError {
  return { code, message };
}

/** Anything a command rejected with, as an ApiError. Unknown shapes become `internal`. */
export function toApiError(err: unknown): ApiError {
  if (isApiError(err)) return { code: err.code, message: err.message };
  if (typeof err === 'string') return { code: 'internal', message: err };
  if (err instanceof Error) return { code: 'internal', message: err.message };
  if (typeof err === 'object' && err !== null) {
    const message = (err as Record<string, unknown>).message;
    if (typeof message === 'string') return { code: 'internal', message };
  }
  return { code: 'internal', message: String(err) };
}
