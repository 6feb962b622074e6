// db(): createDoc, getDoc, updateDoc, deleteDoc, renameDoc, submit, cancel —
// each as frappe-js-sdk sends it (section 9.1 of frappe_compat.md).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { env, manager, rejectsWith, unique } from './helpers.mjs';

const db = manager().db();
const TIMESTAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?$/;

describe('createDoc / getDoc / updateDoc / deleteDoc', () => {
  test('createDoc returns the saved document with standard fields and child rows', async () => {
    const kode = unique('C');
    const doc = await db.createDoc('Uji Validasi', {
      kode,
      nama: 'Dibuat lewat SDK',
      jumlah: 3,
      baris: [{ item: 'beras', jumlah: 2 }],
    });
    assert.equal(doc.name, kode);
    assert.equal(doc.doctype, 'Uji Validasi');
    assert.equal(doc.docstatus, 0);
    assert.equal(doc.owner, env('USER_EMAIL'));
    assert.equal(doc.modified_by, env('USER_EMAIL'));
    assert.match(doc.creation, TIMESTAMP);
    assert.match(doc.modified, TIMESTAMP);
    assert.equal(doc.jenis, 'Perorangan', 'Select default applied');
    assert.ok(!('nama_lembaga' in doc), 'v1 omits null fields');
    assert.equal(doc.baris.length, 1);
    const [row] = doc.baris;
    assert.equal(row.item, 'beras');
    assert.equal(row.jumlah, 2);
    assert.equal(row.parent, kode);
    assert.equal(row.parenttype, 'Uji Validasi');
    assert.equal(row.parentfield, 'baris');
    assert.equal(row.doctype, 'Uji Baris');
    assert.equal(row.idx, 1);
  });

  test('getDoc reads a document by name, encoding names with slashes and spaces', async () => {
    const kode = `${unique('S')}/a b`;
    await db.createDoc('Uji Validasi', { kode, nama: 'Nama aneh' });
    const doc = await db.getDoc('Uji Validasi', kode);
    assert.equal(doc.name, kode);
    assert.equal(doc.nama, 'Nama aneh');
    assert.deepEqual(doc.baris, []);
  });

  test('updateDoc changes only the given fields and replaces a given child table', async () => {
    const kode = unique('U');
    await db.createDoc('Uji Validasi', {
      kode,
      nama: 'Lama',
      jumlah: 1,
      baris: [{ item: 'a' }, { item: 'b' }],
    });
    const updated = await db.updateDoc('Uji Validasi', kode, { nama: 'Baru' });
    assert.equal(updated.nama, 'Baru');
    assert.equal(updated.jumlah, 1, 'fields not sent are kept');
    assert.deepEqual(updated.baris.map((r) => r.item), ['a', 'b']);
    const replaced = await db.updateDoc('Uji Validasi', kode, {
      baris: [{ name: updated.baris[1].name, item: 'b2' }, { item: 'c' }],
    });
    assert.deepEqual(replaced.baris.map((r) => r.item), ['b2', 'c']);
    assert.equal(replaced.baris[0].name, updated.baris[1].name, 'rows matched by name');
    assert.deepEqual((await db.getDoc('Uji Validasi', kode)).baris.map((r) => r.idx), [1, 2]);
  });

  test('deleteDoc resolves with the whole body {data: "ok"}; the document is gone', async () => {
    const kode = unique('D');
    await db.createDoc('Uji Validasi', { kode, nama: 'Hapus' });
    assert.deepEqual(await db.deleteDoc('Uji Validasi', kode), { data: 'ok' });
    await rejectsWith(db.getDoc('Uji Validasi', kode), 404, 'DoesNotExistError');
  });

  test('createDoc with a prompt-named DocType keeps the name the client gives', async () => {
    const name = unique('P');
    const doc = await db.createDoc('Uji Prompt', { name, judul: 'Nama dari klien' });
    assert.equal(doc.name, name);
  });
});

describe('renameDoc', () => {
  test('renames, moves Link values along and answers {message: new name}', async () => {
    const oldName = unique('GN');
    const newName = unique('GN');
    await db.createDoc('Uji Ganti Nama', { name: oldName, judul: 'Asal' });
    const referrer = await db.createDoc('Uji Ganti Nama', {
      name: unique('GN'),
      rujukan: oldName,
    });
    assert.deepEqual(await db.renameDoc('Uji Ganti Nama', oldName, newName), {
      message: newName,
    });
    assert.equal((await db.getDoc('Uji Ganti Nama', newName)).judul, 'Asal');
    await rejectsWith(db.getDoc('Uji Ganti Nama', oldName), 404, 'DoesNotExistError');
    assert.equal((await db.getDoc('Uji Ganti Nama', referrer.name)).rujukan, newName);
  });

  test('an existing target without merge is a 409; with merge the old one disappears', async () => {
    const a = unique('GN');
    const b = unique('GN');
    await db.createDoc('Uji Ganti Nama', { name: a, judul: 'A' });
    await db.createDoc('Uji Ganti Nama', { name: b, judul: 'B' });
    await rejectsWith(db.renameDoc('Uji Ganti Nama', a, b), 409, 'DuplicateEntryError');
    assert.deepEqual(await db.renameDoc('Uji Ganti Nama', a, b, true), { message: b });
    await rejectsWith(db.getDoc('Uji Ganti Nama', a), 404, 'DoesNotExistError');
    assert.equal((await db.getDoc('Uji Ganti Nama', b)).judul, 'B');
  });

  test('a DocType without allow_rename refuses with 417', async () => {
    const kode = unique('R');
    await db.createDoc('Uji Validasi', { kode, nama: 'Tetap' });
    await rejectsWith(db.renameDoc('Uji Validasi', kode, unique('R')), 417, 'ValidationError');
  });
});

describe('submit / cancel', () => {
  test('submit(doc) submits a saved document sent whole and resolves with .message', async () => {
    const draft = await db.createDoc('Uji Pengajuan', { judul: 'Ajukan', nilai: 12.5 });
    assert.equal(draft.docstatus, 0);
    const submitted = await db.submit(draft);
    assert.equal(submitted.name, draft.name);
    assert.equal(submitted.docstatus, 1);
    assert.equal(submitted.nilai, 12.5);
    assert.equal((await db.getDoc('Uji Pengajuan', draft.name)).docstatus, 1);
  });

  test('submit(doc) of a document without a name inserts it submitted', async () => {
    const submitted = await db.submit({ doctype: 'Uji Pengajuan', judul: 'Langsung' });
    assert.ok(submitted.name.startsWith('UJI-'), submitted.name);
    assert.equal(submitted.docstatus, 1);
  });

  test('submit of a stale copy is refused (TimestampMismatchError, 417)', async () => {
    const draft = await db.createDoc('Uji Pengajuan', { judul: 'Basi' });
    await db.updateDoc('Uji Pengajuan', draft.name, { nilai: 1 });
    await rejectsWith(db.submit(draft), 417, 'TimestampMismatchError');
  });

  test('cancel(doctype, name) resolves with the body {message: cancelled doc}', async () => {
    const submitted = await db.submit({ doctype: 'Uji Pengajuan', judul: 'Batal' });
    const body = await db.cancel('Uji Pengajuan', submitted.name);
    assert.equal(body.message.name, submitted.name);
    assert.equal(body.message.docstatus, 2);
    const error = await rejectsWith(
      db.updateDoc('Uji Pengajuan', submitted.name, { judul: 'Ubah setelah batal' }),
      417,
    );
    assert.ok(error.exc_type.endsWith('Error'), error.exc_type);
  });

  test('updateDoc may change an allow_on_submit field of a submitted document', async () => {
    const submitted = await db.submit({ doctype: 'Uji Pengajuan', judul: 'Catat' });
    const updated = await db.updateDoc('Uji Pengajuan', submitted.name, { catatan: 'boleh' });
    assert.equal(updated.catatan, 'boleh');
    await rejectsWith(
      db.updateDoc('Uji Pengajuan', submitted.name, { judul: 'tidak boleh' }),
      417,
      'UpdateAfterSubmitError',
    );
  });
});
