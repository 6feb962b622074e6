// Errors as the SDK hands them to callers: it rejects with the response body plus
// httpStatus, httpStatusText, message (body.message ?? its fallback) and exception
// (body.exception ?? body.exc_type).
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import { FrappeApp } from 'frappe-js-sdk';
import {
  env,
  guest,
  manager,
  rejectsWith,
  restricted,
  serverMessages,
  unique,
} from './helpers.mjs';

const db = manager().db();
const kode = unique('E');

before(async () => {
  await db.createDoc('Uji Validasi', { kode, nama: 'Ada' });
});

describe('404', () => {
  test('a missing document: DoesNotExistError, httpStatusText and the SDK fallback message', async () => {
    const error = await rejectsWith(db.getDoc('Uji Validasi', 'tidak-ada'), 404, 'DoesNotExistError');
    assert.equal(error.httpStatusText, 'Not Found');
    assert.equal(error.message, 'There was an error while fetching the document.');
    assert.match(error.exception, /DoesNotExistError/);
    await rejectsWith(db.updateDoc('Uji Validasi', 'tidak-ada', { nama: 'x' }), 404);
    await rejectsWith(db.deleteDoc('Uji Validasi', 'tidak-ada'), 404);
  });

  test('an unknown DocType', async () => {
    await rejectsWith(db.getDocList('Tidak Ada DocType'), 404, 'DoesNotExistError');
  });
});

describe('403', () => {
  test('a user without any right on the DocType learns nothing but 403', async () => {
    const rdb = restricted().db();
    const errors = [
      await rejectsWith(rdb.getDoc('Uji Validasi', kode), 403, 'PermissionError'),
      await rejectsWith(rdb.getDocList('Uji Validasi'), 403, 'PermissionError'),
      await rejectsWith(rdb.getCount('Uji Validasi'), 403, 'PermissionError'),
      await rejectsWith(rdb.createDoc('Uji Validasi', { kode: unique('E'), nama: 'x' }), 403),
      await rejectsWith(rdb.updateDoc('Uji Validasi', kode, { nama: 'x' }), 403),
      await rejectsWith(rdb.deleteDoc('Uji Validasi', kode), 403),
      await rejectsWith(rdb.getValue('Uji Validasi', 'nama', [['name', '=', kode]]), 403),
      await rejectsWith(rdb.setValue('Uji Validasi', kode, 'nama', 'x'), 403),
      await rejectsWith(rdb.getSingleValue('Uji Tunggal', 'judul'), 403),
    ];
    for (const error of errors) {
      const text = JSON.stringify(error);
      assert.ok(!text.includes('Ada'), `no field value leaks: ${text}`);
      assert.ok(!('data' in error) && !('message' in error && error.message === 'Ada'));
    }
    assert.equal((await db.getDoc('Uji Validasi', kode)).nama, 'Ada', 'nothing changed');
  });

  test('a missing document is a 404 for such a user too (Frappe loads before checking)', async () => {
    const error = await rejectsWith(
      restricted().db().getDoc('Uji Validasi', 'tidak-ada'),
      404,
      'DoesNotExistError',
    );
    assert.deepEqual(Object.keys(error).filter((k) => k === 'data'), []);
  });

  test('a reader may read but not write; level-2 fields never reach it', async () => {
    const rdb = restricted().db();
    const warga = await rdb.getDoc('Uji Warga', env('WARGA_NAME'));
    assert.equal(warga.nama, 'Warga SDK');
    assert.equal(warga.nik, '5371000000000009', 'level 1 is readable for Uji Pemantau');
    assert.ok(!('catatan_rahasia' in warga), 'level 2 is not');
    assert.ok(!('baris_rahasia' in warga), 'a level-2 table is hidden whole');
    const listed = await rdb.getDocList('Uji Warga', { fields: ['*'] });
    assert.ok(listed.length >= 1);
    for (const row of listed) assert.ok(!('catatan_rahasia' in row), JSON.stringify(row));
    await rejectsWith(rdb.updateDoc('Uji Warga', env('WARGA_NAME'), { nama: 'x' }), 403);
    await rejectsWith(rdb.createDoc('Uji Warga', { nama: 'Baru' }), 403, 'PermissionError');
    await rejectsWith(rdb.deleteDoc('Uji Warga', env('WARGA_NAME')), 403, 'PermissionError');
  });

  test('Guest gets 403 on resources and on methods it may not call', async () => {
    await rejectsWith(guest().db().getDocList('Uji Validasi'), 403, 'PermissionError');
    await rejectsWith(guest().db().getDoc('Uji Validasi', kode), 403, 'PermissionError');
    await rejectsWith(
      guest().call().post('frappe.client.insert', { doc: { doctype: 'Uji Validasi', kode: unique('E'), nama: 'x' } }),
      403,
      'PermissionError',
    );
  });
});

describe('417 and 409', () => {
  test('a missing mandatory field: MandatoryError with the field in _server_messages', async () => {
    const error = await rejectsWith(
      db.createDoc('Uji Validasi', { kode: unique('E') }),
      417,
      'MandatoryError',
    );
    assert.equal(error.httpStatusText, 'Expectation Failed');
    assert.ok(serverMessages(error).some((m) => m.includes('Nama')), error._server_messages);
    assert.match(error.exception, /^frappe\.exceptions\.MandatoryError/);
  });

  test('other validation errors: negative value, too long, bad filter operator', async () => {
    await rejectsWith(
      db.createDoc('Uji Validasi', { kode: unique('E'), nama: 'x', jumlah: -3 }),
      417,
      'NonNegativeError',
    );
    await rejectsWith(
      db.createDoc('Uji Validasi', { kode: 'X'.repeat(25), nama: 'x' }),
      417,
      'CharacterLengthExceededError',
    );
    await rejectsWith(
      db.getDocList('Uji Validasi', { filters: [['name', 'regexp', 'x']] }),
      417,
    );
  });

  test('a duplicate name is a 409 DuplicateEntryError', async () => {
    const name = unique('E');
    await db.createDoc('Uji Prompt', { name, judul: 'Pertama' });
    await rejectsWith(db.createDoc('Uji Prompt', { name, judul: 'Kedua' }), 409, 'DuplicateEntryError');
    assert.equal((await db.getDoc('Uji Prompt', name)).judul, 'Pertama');
  });

  test('a value a unique (non-name) field already has is a 417 UniqueValidationError', async () => {
    const nik = String(Date.now()).padStart(16, '7');
    await db.createDoc('Uji Validasi', { kode: unique('E'), nama: 'Satu', nik });
    await rejectsWith(
      db.createDoc('Uji Validasi', { kode: unique('E'), nama: 'Dua', nik }),
      417,
      'UniqueValidationError',
    );
  });
});

describe('no server', () => {
  test('a network failure rejects with httpStatus 0', async () => {
    const offline = new FrappeApp('http://127.0.0.1:9', { useToken: true, token: () => 'a:b', type: 'token' });
    const error = await rejectsWith(offline.db().getDoc('Uji Validasi', kode), 0);
    assert.equal(error.exception, '');
  });
});
