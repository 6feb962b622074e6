// Shared set-up for the frappe-js-sdk compatibility suite. The environment comes from
// tests/api/test_js_sdk.py, which starts a real server on a fresh site.
import assert from 'node:assert/strict';
import { FrappeApp } from 'frappe-js-sdk';

export function env(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: run this suite through tests/api/test_js_sdk.py`);
  }
  return value;
}

export const SITE_URL = env('SITE_URL');

/** A FrappeApp using API-key token auth (`Authorization: token key:secret`). */
export function tokenApp(key, secret) {
  return new FrappeApp(SITE_URL, { useToken: true, token: () => `${key}:${secret}`, type: 'token' });
}

/** System Manager with keys: may do everything on the Uji DocTypes. */
export const manager = () => tokenApp(env('API_KEY'), env('API_SECRET'));

/** Role "Uji Pemantau" only: reads Uji Warga (levels 0 and 1), nothing else. */
export const restricted = () => tokenApp(env('RESTRICTED_API_KEY'), env('RESTRICTED_API_SECRET'));

/** No credentials at all (Guest). */
export const guest = () => new FrappeApp(SITE_URL);

/** The value a promise rejects with; fails the test when it resolves. */
export async function rejection(promise) {
  try {
    const value = await promise;
    assert.fail(`expected a rejection, got ${JSON.stringify(value)}`);
  } catch (error) {
    if (error instanceof assert.AssertionError) throw error;
    return error;
  }
}

/** Assert the SDK's rejection shape: httpStatus, exc_type and the `exception` it derives. */
export async function rejectsWith(promise, httpStatus, excType) {
  const error = await rejection(promise);
  assert.equal(error.httpStatus, httpStatus, JSON.stringify(error));
  assert.equal(typeof error.httpStatusText, 'string');
  if (excType) {
    assert.equal(error.exc_type, excType, JSON.stringify(error));
    assert.ok(String(error.exception).includes(excType), JSON.stringify(error));
  }
  return error;
}

let counter = 0;
const run = (Date.now() % 2176782336).toString(36); // differs between runs of one site

/** A short name no other test (or earlier run) uses; fits Uji Validasi's 20-char `kode`. */
export function unique(prefix) {
  counter += 1;
  return `${prefix}-${run}${counter}`;
}

/** The user messages of a v1 error body (`_server_messages` is a JSON list of JSON strings). */
export function serverMessages(error) {
  return JSON.parse(error._server_messages ?? '[]').map((m) => JSON.parse(m).message);
}
