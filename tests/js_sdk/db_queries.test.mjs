// db(): getDocList (every option), getCount, getLastDoc, getValue, setValue, getSingleValue.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import { manager, rejectsWith, unique } from './helpers.mjs';

const db = manager().db();
const prefix = unique('Q');
const like = [['name', 'like', `${prefix}-%`]];
// five documents: jumlah 1..5; 2 and 4 are "Lembaga", the rest "Perorangan"
const names = [1, 2, 3, 4, 5].map((n) => `${prefix}-${n}`);

before(async () => {
  for (const [i, kode] of names.entries()) {
    const lembaga = (i + 1) % 2 === 0;
    await db.createDoc('Uji Validasi', {
      kode,
      nama: `Warga ${i + 1}`,
      jumlah: i + 1,
      jenis: lembaga ? 'Lembaga' : 'Perorangan',
      nama_lembaga: lembaga ? `Lembaga ${i + 1}` : undefined,
      baris: [{ item: `barang ${i + 1}` }],
    });
  }
});

describe('getDocList', () => {
  test('without arguments: names only (the default fields)', async () => {
    const rows = await db.getDocList('Uji Validasi');
    assert.ok(rows.length > 0 && rows.length <= 20, `${rows.length} rows (page of 20)`);
    for (const row of rows) assert.deepEqual(Object.keys(row), ['name']);
  });

  test('fields + filters + orderBy', async () => {
    const rows = await db.getDocList('Uji Validasi', {
      fields: ['name', 'nama', 'jumlah'],
      filters: [...like, ['jumlah', '>=', 2]],
      orderBy: { field: 'jumlah', order: 'desc' },
    });
    assert.deepEqual(
      rows,
      [5, 4, 3, 2].map((n) => ({ name: `${prefix}-${n}`, nama: `Warga ${n}`, jumlah: n })),
    );
  });

  test('orderBy without order defaults to ascending', async () => {
    const rows = await db.getDocList('Uji Validasi', {
      fields: ['name'],
      filters: like,
      orderBy: { field: 'jumlah' },
    });
    assert.deepEqual(rows.map((r) => r.name), names);
  });

  test('every filter operator the SDK declares that Frappe accepts', async () => {
    const cases = [
      [['jumlah', '=', 3], [3]],
      [['jumlah', '!=', 3], [1, 2, 4, 5]],
      [['jumlah', '>', 3], [4, 5]],
      [['jumlah', '<', 3], [1, 2]],
      [['jumlah', '>=', 4], [4, 5]],
      [['jumlah', '<=', 2], [1, 2]],
      [['nama', 'like', '%a 3'], [3]],
      [['jumlah', 'in', [1, 5]], [1, 5]],
      [['jumlah', 'not in', [1, 5]], [2, 3, 4]],
      [['jumlah', 'between', [2, 4]], [2, 3, 4]],
      [['creation', 'Timespan', 'today'], [1, 2, 3, 4, 5]],
      [['nama_lembaga', 'is', 'set'], [2, 4]],
    ];
    for (const [filter, expected] of cases) {
      const rows = await db.getDocList('Uji Validasi', {
        fields: ['jumlah'],
        filters: [...like, filter],
        orderBy: { field: 'jumlah', order: 'asc' },
      });
      assert.deepEqual(rows.map((r) => r.jumlah), expected, JSON.stringify(filter));
    }
  });

  test('filters as an object {field: value} and {field: [op, value]}', async () => {
    const rows = await db.getDocList('Uji Validasi', {
      fields: ['name'],
      filters: { jenis: 'Lembaga', jumlah: ['>', 2], name: ['like', `${prefix}-%`] },
    });
    assert.deepEqual(rows, [{ name: `${prefix}-4` }]);
  });

  test('orFilters are OR-ed and AND-ed with filters', async () => {
    const rows = await db.getDocList('Uji Validasi', {
      fields: ['jumlah'],
      filters: like,
      orFilters: [
        ['jumlah', '=', 1],
        ['jenis', '=', 'Lembaga'],
      ],
      orderBy: { field: 'jumlah', order: 'asc' },
    });
    assert.deepEqual(rows.map((r) => r.jumlah), [1, 2, 4]);
  });

  test('limit and limit_start page through the list', async () => {
    const page = (limit_start) =>
      db.getDocList('Uji Validasi', {
        fields: ['name'],
        filters: like,
        orderBy: { field: 'jumlah', order: 'asc' },
        limit: 2,
        limit_start,
      });
    assert.deepEqual((await page(0)).map((r) => r.name), names.slice(0, 2));
    assert.deepEqual((await page(2)).map((r) => r.name), names.slice(2, 4));
    assert.deepEqual((await page(4)).map((r) => r.name), names.slice(4));
  });

  test('groupBy with an aggregate field', async () => {
    const rows = await db.getDocList('Uji Validasi', {
      fields: ['jenis', 'count(name) as banyak', 'sum(jumlah) as total'],
      filters: like,
      groupBy: 'jenis',
      orderBy: { field: 'jenis', order: 'asc' },
    });
    assert.deepEqual(
      rows.map((r) => ({ ...r, banyak: Number(r.banyak), total: Number(r.total) })),
      [
        { jenis: 'Lembaga', banyak: 2, total: 6 },
        { jenis: 'Perorangan', banyak: 3, total: 9 },
      ],
    );
  });

  test('asDict: false gives arrays of values in field order', async () => {
    const rows = await db.getDocList('Uji Validasi', {
      fields: ['name', 'jumlah'],
      filters: like,
      orderBy: { field: 'jumlah', order: 'asc' },
      limit: 2,
      asDict: false,
    });
    assert.deepEqual(rows, [
      [names[0], 1],
      [names[1], 2],
    ]);
  });

  test('fields ["*"] gives all columns; "table.field as x" joins one row per child', async () => {
    const [all] = await db.getDocList('Uji Validasi', {
      fields: ['*'],
      filters: [['name', '=', names[1]]],
    });
    assert.equal(all.name, names[1]);
    assert.equal(all.nama_lembaga, 'Lembaga 2');
    assert.equal(all.docstatus, 0);
    const joined = await db.getDocList('Uji Validasi', {
      fields: ['name', 'baris.item as item'],
      filters: [['name', '=', names[2]]],
    });
    assert.deepEqual(joined, [{ name: names[2], item: 'barang 3' }]);
  });
});

describe('getCount', () => {
  test('with filters and without', async () => {
    assert.equal(await db.getCount('Uji Validasi', like), 5);
    assert.equal(await db.getCount('Uji Validasi', [...like, ['jenis', '=', 'Lembaga']]), 2);
    const all = await db.getCount('Uji Validasi');
    assert.ok(Number.isInteger(all) && all >= 5, String(all));
  });
});

describe('getLastDoc', () => {
  test('the most recently created document matching the filters, read whole', async () => {
    const last = await db.getLastDoc('Uji Validasi', { filters: like });
    assert.equal(last.name, names[4]);
    assert.equal(last.baris[0].item, 'barang 5');
  });

  test('orderBy overrides "creation desc"; no match gives {}', async () => {
    const smallest = await db.getLastDoc('Uji Validasi', {
      filters: like,
      orderBy: { field: 'jumlah', order: 'asc' },
    });
    assert.equal(smallest.name, names[0]);
    assert.deepEqual(
      await db.getLastDoc('Uji Validasi', { filters: [['name', '=', 'tidak-ada']] }),
      {},
    );
  });
});

describe('getValue', () => {
  test('one field as a dict, filters as a list', async () => {
    assert.deepEqual(await db.getValue('Uji Validasi', 'nama', [['name', '=', names[0]]]), {
      message: { nama: 'Warga 1' },
    });
  });

  test('several fields, and asDict false for one field gives the bare value', async () => {
    assert.deepEqual(
      await db.getValue('Uji Validasi', ['nama', 'jumlah'], [['name', '=', names[1]]]),
      { message: { nama: 'Warga 2', jumlah: 2 } },
    );
    assert.deepEqual(
      await db.getValue('Uji Validasi', 'jumlah', [['name', '=', names[2]]], false),
      { message: 3 },
    );
  });

  test('several fields with asDict false give a list of values', async () => {
    assert.deepEqual(
      await db.getValue('Uji Validasi', ['nama', 'jumlah'], [['name', '=', names[3]]], false),
      { message: ['Warga 4', 4] },
    );
  });

  test('no fieldname (the SDK sends "[]") gives the name', async () => {
    assert.deepEqual(await db.getValue('Uji Validasi', undefined, [['name', '=', names[4]]]), {
      message: { name: names[4] },
    });
  });

  test('no match gives {message: {}} like Frappe', async () => {
    assert.deepEqual(await db.getValue('Uji Validasi', 'nama', [['name', '=', 'tidak-ada']]), {
      message: {},
    });
  });

  test('a child-table value with parent', async () => {
    const body = await db.getValue(
      'Uji Baris',
      'item',
      [['parent', '=', names[0]]],
      true,
      false,
      'Uji Validasi',
    );
    assert.deepEqual(body, { message: { item: 'barang 1' } });
  });
});

describe('setValue', () => {
  test('one field, then several as an object; resolves with {message: doc}', async () => {
    const kode = unique('SV');
    await db.createDoc('Uji Validasi', { kode, nama: 'Awal' });
    const one = await db.setValue('Uji Validasi', kode, 'nama', 'Satu');
    assert.equal(one.message.name, kode);
    assert.equal(one.message.nama, 'Satu');
    const many = await db.setValue('Uji Validasi', kode, { nama: 'Dua', jumlah: 9 });
    assert.equal(many.message.nama, 'Dua');
    assert.equal(many.message.jumlah, 9);
    assert.equal((await db.getDoc('Uji Validasi', kode)).jumlah, 9);
  });

  test('a standard field or an invalid value is refused with 417', async () => {
    const kode = unique('SV');
    await db.createDoc('Uji Validasi', { kode, nama: 'Awal' });
    await rejectsWith(db.setValue('Uji Validasi', kode, 'owner', 'x@uji.id'), 417);
    await rejectsWith(
      db.setValue('Uji Validasi', kode, 'jumlah', -1),
      417,
      'NonNegativeError',
    );
  });
});

describe('getSingleValue', () => {
  test('values of a Single DocType, typed', async () => {
    assert.deepEqual(await db.getSingleValue('Uji Tunggal', 'judul'), {
      message: 'Pengaturan SDK',
    });
    assert.deepEqual(await db.getSingleValue('Uji Tunggal', 'bobot'), { message: 0.8 });
  });
});
