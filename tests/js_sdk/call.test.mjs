// call(): get / post / put / delete against whitelisted methods (bodies come back whole).
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import { env, manager, rejectsWith, unique } from './helpers.mjs';

const app = manager();
const call = app.call();
const kode = unique('K');

before(async () => {
  await app.db().createDoc('Uji Validasi', { kode, nama: 'Dipanggil', jumlah: 4 });
});

describe('call().get', () => {
  test('ping and frappe.auth.get_logged_user', async () => {
    assert.deepEqual(await call.get('ping'), { message: 'pong' });
    assert.deepEqual(await call.get('frappe.auth.get_logged_user'), {
      message: env('USER_EMAIL'),
    });
  });

  test('frappe.client.get_count with object filters (JSON-encoded by the SDK)', async () => {
    assert.deepEqual(
      await call.get('frappe.client.get_count', { doctype: 'Uji Validasi', filters: { name: kode } }),
      { message: 1 },
    );
  });

  test('frappe.client.get_value, nulls dropped from the query', async () => {
    const body = await call.get('frappe.client.get_value', {
      doctype: 'Uji Validasi',
      fieldname: 'nama',
      filters: { name: kode },
      parent: null,
    });
    assert.deepEqual(body, { message: { nama: 'Dipanggil' } });
  });

  test('frappe.client.get_value with a name string as filters', async () => {
    const body = await call.get('frappe.client.get_value', {
      doctype: 'Uji Validasi',
      fieldname: ['nama', 'jumlah'],
      filters: kode,
    });
    assert.deepEqual(body, { message: { nama: 'Dipanggil', jumlah: 4 } });
  });

  test('frappe.client.get_list and frappe.client.get', async () => {
    const list = await call.get('frappe.client.get_list', {
      doctype: 'Uji Validasi',
      fields: ['name', 'jumlah'],
      filters: [['name', '=', kode]],
      limit_page_length: 5,
    });
    assert.deepEqual(list, { message: [{ name: kode, jumlah: 4 }] });
    const doc = await call.get('frappe.client.get', { doctype: 'Uji Validasi', name: kode });
    assert.equal(doc.message.nama, 'Dipanggil');
  });

  test('frappe.client.has_permission', async () => {
    assert.deepEqual(
      await call.get('frappe.client.has_permission', {
        doctype: 'Uji Validasi',
        docname: kode,
        perm_type: 'write',
      }),
      { message: { has_permission: true } },
    );
  });
});

describe('call().post / put / delete', () => {
  test('post frappe.client.insert and frappe.client.insert_many', async () => {
    const name = unique('K');
    const inserted = await call.post('frappe.client.insert', {
      doc: { doctype: 'Uji Validasi', kode: name, nama: 'Disisipkan' },
    });
    assert.equal(inserted.message.name, name);
    const many = await call.post('frappe.client.insert_many', {
      docs: [
        { doctype: 'Uji Validasi', kode: `${name}a`, nama: 'a' },
        { doctype: 'Uji Validasi', kode: `${name}b`, nama: 'b' },
      ],
    });
    assert.deepEqual(many, { message: [`${name}a`, `${name}b`] });
  });

  test('post frappe.client.save with the whole document', async () => {
    const { message: doc } = await call.get('frappe.client.get', {
      doctype: 'Uji Validasi',
      name: kode,
    });
    const saved = await call.post('frappe.client.save', { doc: { ...doc, jumlah: 5 } });
    assert.equal(saved.message.jumlah, 5);
  });

  test('put frappe.client.set_value', async () => {
    const body = await call.put('frappe.client.set_value', {
      doctype: 'Uji Validasi',
      name: kode,
      fieldname: 'nama',
      value: 'Lewat PUT',
    });
    assert.equal(body.message.nama, 'Lewat PUT');
  });

  test('delete frappe.client.delete resolves with {} (the method returns nothing)', async () => {
    const name = unique('K');
    await app.db().createDoc('Uji Validasi', { kode: name, nama: 'Dihapus' });
    assert.deepEqual(
      await call.delete('frappe.client.delete', { doctype: 'Uji Validasi', name }),
      {},
    );
    await rejectsWith(app.db().getDoc('Uji Validasi', name), 404, 'DoesNotExistError');
  });

  test('a verb the method does not accept, or an unknown method, is a 403', async () => {
    await rejectsWith(
      call.get('frappe.client.delete', { doctype: 'Uji Validasi', name: kode }),
      403,
      'PermissionError',
    );
    await rejectsWith(call.post('frappe.tidak.ada'), 403, 'PermissionError');
    assert.equal((await app.db().getDoc('Uji Validasi', kode)).name, kode);
  });
});
