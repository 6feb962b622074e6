"""The one safe evaluator for depends_on rules and workflow conditions."""

from __future__ import annotations

import pytest

from layanan_sosial.core.expressions import ExpressionError, evaluate, is_true

DOC = {"status": "Baru", "jumlah": 3, "aktif": 0, "anggota": [{"nama": "a"}], "kosong": None}


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("eval:doc.status == 'Baru'", True),
        ("eval:doc.status === 'Baru' && doc.jumlah > 2", True),
        ("eval:!doc.aktif", True),
        ("eval:doc.aktif || doc.jumlah >= 4", False),
        ("eval:doc.status !== 'Selesai'", True),
        ("status", True),
        ("aktif", False),
        ("doc.jumlah in [1, 2, 3]", True),
        ("len(doc.anggota) == 1", True),
        ("doc.kosong == null", True),
        ("doc.kosong > 3", False),
        ("doc.tidak_ada", False),
    ],
)
def test_rules_in_frappe_js_and_python_forms(source, expected):
    assert is_true(source, DOC) is expected


@pytest.mark.parametrize(
    "source",
    [
        "__import__('os').system('true')",
        "doc.__class__",
        "open('/etc/passwd')",
        "[x for x in range(10)]",
        "lambda: 1",
        "doc.status.upper()",
        "exec('1')",
    ],
)
def test_anything_outside_the_small_language_is_refused(source):
    with pytest.raises(ExpressionError):
        evaluate(source, DOC)


def test_empty_rule_is_true_and_overlong_rule_refused():
    assert is_true("", DOC)
    assert is_true(None, DOC)
    with pytest.raises(ExpressionError):
        evaluate("1 + " * 1000 + "1", DOC)
