// file().uploadFile: multipart POST to /api/method/upload_file; resolves with the axios
// response itself (the SDK does not unwrap it), so the File is at `.data.message`.
import assert from 'node:assert/strict';
import { File } from 'node:buffer';
import { describe, test } from 'node:test';

import { SITE_URL, env, manager, rejectsWith, restricted, unique } from './helpers.mjs';

const app = manager();
const auth = { Authorization: `token ${env('API_KEY')}:${env('API_SECRET')}` };

async function download(fileUrl, headers = {}) {
  const response = await fetch(new URL(fileUrl, SITE_URL), { headers });
  return { status: response.status, text: await response.text() };
}

describe('file().uploadFile', () => {
  test('a private file attached to a document, with progress reported', async () => {
    const kode = unique('F');
    await app.db().createDoc('Uji Validasi', { kode, nama: 'Berlampiran' });
    const progress = [];
    const response = await app.file().uploadFile(
      new File(['isi surat keputusan'], 'surat keputusan.txt', { type: 'text/plain' }),
      { isPrivate: true, folder: 'Home', doctype: 'Uji Validasi', docname: kode },
      (loaded, total) => progress.push([loaded, total]),
    );
    assert.equal(response.status, 200);
    const file = response.data.message;
    assert.equal(file.is_private, 1);
    assert.ok(file.file_url.startsWith('/private/files/'), file.file_url);
    assert.equal(file.file_name, 'surat keputusan.txt');
    assert.equal(file.file_size, 'isi surat keputusan'.length);
    assert.equal(file.attached_to_doctype, 'Uji Validasi');
    assert.equal(file.attached_to_name, kode);
    assert.equal(file.folder, 'Home');
    assert.ok(progress.length > 0, 'onProgress called');
    assert.deepEqual(await download(file.file_url, auth), {
      status: 200,
      text: 'isi surat keputusan',
    });
    assert.equal((await download(file.file_url)).status, 403, 'guests may not download it');
  });

  test('a public file, and fieldname sets an Attach field of the document', async () => {
    const doc = await app.db().createDoc('Uji Semua Tipe', { data: unique('F') });
    const response = await app.file().uploadFile(
      new File(['gambar'], 'logo.png', { type: 'image/png' }),
      { isPrivate: false, doctype: 'Uji Semua Tipe', docname: doc.name, fieldname: 'attach' },
    );
    const file = response.data.message;
    assert.equal(file.is_private, 0);
    assert.ok(file.file_url.startsWith('/files/'), file.file_url);
    assert.deepEqual(await download(file.file_url), { status: 200, text: 'gambar' });
    assert.equal((await app.db().getDoc('Uji Semua Tipe', doc.name)).attach, file.file_url);
  });

  test('file_url without a file links to an already stored file', async () => {
    const first = await app.file().uploadFile(new File(['bersama'], 'bersama.txt'), {
      isPrivate: false,
    });
    const url = first.data.message.file_url;
    const linked = await app.file().uploadFile(undefined, { file_url: url });
    assert.equal(linked.data.message.file_url, url);
    assert.notEqual(linked.data.message.name, first.data.message.name);
  });

  test('a user who may not write the document gets 403 and nothing is stored', async () => {
    const kode = unique('F');
    await app.db().createDoc('Uji Validasi', { kode, nama: 'Terlarang' });
    await rejectsWith(
      restricted()
        .file()
        .uploadFile(new File(['x'], 'x.txt'), { isPrivate: true, doctype: 'Uji Validasi', docname: kode }),
      403,
      'PermissionError',
    );
    const count = await app.db().getCount('File', [['attached_to_name', '=', kode]]);
    assert.equal(count, 0);
  });
});
