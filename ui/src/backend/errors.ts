import type { ApiError } from '../bindings/ApiError';
import type { Code } from '../bindings/Code';
import type { FieldError } from '../bindings/FieldError';

// A record keyed by the generated `Code` type: when Rust adds a code and the bindings are
// regenerated, this stops compiling until the code is listed (and translated).
const KNOWN_CODES: Record<Code, true> = {
  invalid_input: true,
  weak_password: true,
  username_taken: true,
  bad_credentials: true,
  account_locked: true,
  not_signed_in: true,
  session_locked: true,
  password_change_required: true,
  forbidden: true,
  not_found: true,
  conflict: true,
  core_unavailable: true,
  core_unauthorized: true,
  store_unreadable: true,
  data_key_missing: true,
  disk_full: true,
  internal: true,
};

export const CODES = Object.keys(KNOWN_CODES) as readonly Code[];

export function isCode(value: unknown): value is Code {
  return CODES.some((c) => c === value);
}

export function isApiError(value: unknown): value is ApiError {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return isCode(v.code) && typeof v.message === 'string';
}

function isFieldError(value: unknown): value is FieldError {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.field === 'string' && typeof v.code === 'string';
}

export function apiError(code: Code, message: string, fields: FieldError[] = []): ApiError {
  return { code, message, fields };
}

/** Anything a command rejected with, as an ApiError. Unknown shapes become `internal`. */
export function toApiError(err: unknown): ApiError {
  if (isApiError(err)) {
    // The fields core refused, as sent; anything else in the list is dropped, not trusted.
    const fields: unknown = (err as { fields?: unknown }).fields;
    return { code: err.code, message: err.message, fields: Array.isArray(fields) ? fields.filter(isFieldError) : [] };
  }
  if (typeof err === 'string') return apiError('internal', err);
  if (err instanceof Error) return apiError('internal', err.message);
  if (typeof err === 'object' && err !== null) {
    const message = (err as Record<string, unknown>).message;
    if (typeof message === 'string') return apiError('internal', message);
  }
  return apiError('internal', String(err));
}
