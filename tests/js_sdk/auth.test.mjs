// auth(): loginWithUsernamePassword, getLoggedInUser, logout (forgetPassword: see below).
// In Node axios keeps no cookie jar: the login answer is checked from its body, and one
// test gives the SDK's own axios instance a minimal jar to use the session as a browser.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { env, guest, manager, rejectsWith, tokenApp } from './helpers.mjs';

/** A FrappeApp without a token whose axios instance keeps the cookies it is given. */
function browserLikeApp() {
  const app = guest();
  const jar = new Map();
  app.axios.interceptors.response.use((response) => {
    for (const line of response.headers['set-cookie'] ?? []) {
      const [pair, ...attributes] = line.split(';');
      const [name, ...rest] = pair.split('=');
      const value = rest.join('=').replace(/^"|"$/g, '');
      const expired = attributes.some((a) => /max-age=0\b/i.test(a.trim()));
      if (expired || value === '') jar.delete(name.trim());
      else jar.set(name.trim(), value);
    }
    return response;
  });
  app.axios.interceptors.request.use((config) => {
    if (jar.size) config.headers.Cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    return config;
  });
  return { app, jar };
}

describe('auth()', () => {
  test('loginWithUsernamePassword resolves with Frappe\'s login body', async () => {
    const body = await guest().auth().loginWithUsernamePassword({
      username: env('USER_EMAIL'),
      password: env('USER_PASSWORD'),
      device: 'desktop',
    });
    assert.equal(body.message, 'Logged In');
    assert.equal(body.home_page, '/app');
    assert.equal(typeof body.full_name, 'string');
    assert.ok(body.full_name.length > 0);
  });

  test('wrong credentials reject with 401 AuthenticationError and Frappe\'s message', async () => {
    const error = await rejectsWith(
      guest().auth().loginWithUsernamePassword({
        username: env('USER_EMAIL'),
        password: 'salah-sekali',
      }),
      401,
      'AuthenticationError',
    );
    assert.equal(error.message, 'Invalid login credentials');
  });

  test('getLoggedInUser with token auth; Guest is refused with 403', async () => {
    assert.equal(await manager().auth().getLoggedInUser(), env('USER_EMAIL'));
    await rejectsWith(guest().auth().getLoggedInUser(), 403, 'PermissionError');
  });

  test('a bad API secret is a 401 AuthenticationError', async () => {
    await rejectsWith(
      tokenApp(env('API_KEY'), 'bukan-rahasia').auth().getLoggedInUser(),
      401,
      'AuthenticationError',
    );
  });

  test('logout resolves (nothing to end for a stateless token request)', async () => {
    assert.equal(await manager().auth().logout(), undefined);
    assert.equal(await manager().auth().getLoggedInUser(), env('USER_EMAIL'));
  });

  test('with a cookie jar: login, the session is the user, logout ends it', async () => {
    const { app, jar } = browserLikeApp();
    await app.auth().loginWithUsernamePassword({
      username: env('USER_EMAIL'),
      password: env('USER_PASSWORD'),
    });
    assert.ok(jar.get('sid'), 'sid cookie set');
    assert.ok(jar.has('user_id') && jar.has('full_name') && jar.has('system_user'));
    assert.equal(await app.auth().getLoggedInUser(), env('USER_EMAIL'));
    const list = await app.db().getDocList('Uji Validasi', { limit: 1 });
    assert.ok(Array.isArray(list));
    const sid = jar.get('sid');
    await app.auth().logout();
    assert.ok(!jar.has('sid'), 'sid cookie cleared');
    jar.set('sid', sid); // replaying the old session id must not work any more
    await rejectsWith(app.auth().getLoggedInUser(), 403, 'PermissionError');
  });

  test(
    'forgetPassword (POST / cmd=frappe.core.doctype.user.user.reset_password)',
    { skip: 'password reset by email not built yet (no outgoing email); pending' },
    async () => {
      await guest().auth().forgetPassword(env('USER_EMAIL'));
    },
  );
});
