"""Workflow rules beyond the happy path, on both databases: a DocType without a state field
(Custom Field + back-fill), several roles per state and transition, creator rules,
conditions (helpers, and malicious ones refused), inserts, deletes, bulk approval, the
REST shapes, SLA fallback recipients and next-approver emails, and the workflow cache
surviving a rolled-back change."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from mailkit import mail_config
from sitekit import backends, drop_site, make_site
from workflow_setup import (
    DT,
    KEPALA,
    PETUGAS,
    SERBA,
    SUPERVISOR,
    new_polos,
    polos_workflow,
    setup_polos,
)

from layanan_sosial.core.api.registry import get_method
from layanan_sosial.core.exceptions import (
    ValidationError,
    WorkflowPermissionError,
    WorkflowStateError,
    WorkflowTransitionError,
)
from layanan_sosial.core.workflow.engine import apply_workflow, get_transitions
from layanan_sosial.core.workflow.sla import escalate_overdue, is_overdue


def _apply(site, user, name, action):
    with site.begin(user=user) as ctx:
        return apply_workflow(ctx, {"doctype": DT, "name": name}, action).workflow_state


def _actions(site, user, name):
    with site.begin(user=user) as ctx:
        return [t["action"] for t in get_transitions(ctx, ctx.get_doc(DT, name))]


@pytest.fixture(scope="module", params=backends())
def polos(request, tmp_path_factory):
    root = tmp_path_factory.mktemp("wf_rules")
    (root / "common_site_config.json").write_text("{}")
    site = make_site(root, request.param)
    setup_polos(site)
    yield site
    drop_site(site)


@pytest.mark.parametrize("backend", backends())
def test_saving_a_workflow_adds_the_state_field_and_backfills_old_documents(
    backend, tmp_path_factory
):
    root = tmp_path_factory.mktemp("wf_field")
    (root / "common_site_config.json").write_text("{}")
    site = make_site(root, backend)
    try:
        old = setup_polos(site, before=[{"nilai": 1}, {"nilai": 2}])
        with site.begin() as ctx:
            field = ctx.get_meta(DT).get_field("workflow_state")
            assert field is not None and field.fieldtype == "Link"
            assert field.options == "Workflow State"
            assert field.flag("hidden") and field.flag("allow_on_submit") and field.flag("no_copy")
            assert [ctx.get_value(DT, n, "workflow_state") for n in old] == ["Draf", "Draf"]
            # a second active workflow for the DocType switches the first off
            ctx.new_doc(
                "Workflow", polos_workflow(workflow_name="Alur Polos 2", transitions=[])
            ).insert()
            active = ctx.get_all(
                "Workflow", filters={"is_active": 1, "document_type": DT}, pluck="name"
            )
            assert active == ["Alur Polos 2"]
            ctx.rollback()
    finally:
        drop_site(site)


def test_several_roles_may_edit_a_state_and_take_a_transition(polos):
    name = new_polos(polos, nilai=12)
    with pytest.raises(WorkflowPermissionError):  # Draf: only Uji Petugas edits
        with polos.begin(user=SUPERVISOR) as ctx:
            doc = ctx.get_doc(DT, name)
            doc.nilai = 13
            doc.save()
    _apply(polos, PETUGAS, name, "Ajukan")
    for user, value in ((SUPERVISOR, 14), (KEPALA, 15)):  # Ditinjau: both roles edit
        with polos.begin(user=user) as ctx:
            doc = ctx.get_doc(DT, name)
            doc.nilai = value
            doc.save()
    with pytest.raises(WorkflowPermissionError) as err:  # ... but not Uji Petugas
        with polos.begin(user=PETUGAS) as ctx:
            doc = ctx.get_doc(DT, name)
            doc.catatan = "diubah"
            doc.save()
    assert err.value.http_status == 417 and err.value.field == "catatan"
    with polos.begin(user=PETUGAS) as ctx:  # an unchanged save is no edit
        ctx.get_doc(DT, name).save()
    assert _actions(polos, SUPERVISOR, name) == ["Setujui", "Kembalikan"]
    assert _actions(polos, KEPALA, name) == ["Setujui"]  # the second role of the transition
    assert _apply(polos, KEPALA, name, "Setujui") == "Selesai"
    with polos.begin() as ctx:
        assert ctx.get_value(DT, name, "catatan") == "ok"  # update_field / update_value


def test_only_the_creator_and_not_the_creator(polos):
    name = new_polos(polos, SERBA, nilai=20)
    with pytest.raises(WorkflowPermissionError, match="pembuat"):  # only the creator submits
        _apply(polos, PETUGAS, name, "Ajukan")
    assert _actions(polos, PETUGAS, name) == []
    assert _apply(polos, SERBA, name, "Ajukan") == "Ditinjau"
    # the creator holds Uji Supervisor but may not approve their own document
    assert _actions(polos, SERBA, name) == ["Kembalikan"]
    with pytest.raises(WorkflowPermissionError, match="sendiri"):
        _apply(polos, SERBA, name, "Setujui")
    assert _apply(polos, SUPERVISOR, name, "Setujui") == "Selesai"
    # Administrator is exempt from the self-approval rule, as in Frappe
    own = new_polos(polos, "Administrator", nilai=20)
    _apply(polos, "Administrator", own, "Ajukan")
    assert _apply(polos, "Administrator", own, "Setujui") == "Selesai"


def test_conditions_and_helpers(polos):
    low, high = new_polos(polos, nilai=3), new_polos(polos, nilai=10)
    for name in (low, high):
        _apply(polos, PETUGAS, name, "Ajukan")
    assert _actions(polos, SUPERVISOR, low) == ["Kembalikan"]  # doc.nilai >= 10 is false
    with pytest.raises(WorkflowPermissionError, match="Syarat"):
        _apply(polos, SUPERVISOR, low, "Setujui")
    assert _actions(polos, SUPERVISOR, high) == ["Setujui", "Kembalikan"]
    with polos.begin() as ctx:  # get_value(...) and now() in a condition
        assert "Arsipkan" in [t["action"] for t in get_transitions(ctx, ctx.get_doc(DT, high))]
    with pytest.raises(WorkflowTransitionError):
        _apply(polos, SUPERVISOR, high, "Terbang")


@pytest.mark.parametrize(
    "condition",
    [
        "__import__('os').system('touch /tmp/pwned')",
        "frappe.db.sql('delete from tabUser')",
        "open('/etc/passwd').read()",
        "doc.__class__",
        "eval('1')",
        "[x for x in doc]",
        "os.getcwd",
    ],
)
def test_a_malicious_condition_is_refused_when_saving_the_workflow(polos, condition):
    with polos.begin() as ctx:
        wf = ctx.get_doc("Workflow", "Alur Polos")
        wf.transitions[1].condition = condition
        with pytest.raises(ValidationError, match="syarat tidak sah"):
            wf.save()
        ctx.rollback()


def test_a_condition_slipped_into_the_database_still_never_runs(polos, tmp_path):
    marker = tmp_path / "pwned"
    name = new_polos(polos, nilai=50)
    _apply(polos, PETUGAS, name, "Ajukan")
    with polos.begin() as ctx:
        row = ctx.get_doc("Workflow", "Alur Polos").transitions[1]
        bad = f"__import__('os').system('touch {marker}')"
        row.db_set("condition", bad, update_modified=False)
        ctx.meta_changed()
        try:
            assert _actions_in(ctx, name) == ["Kembalikan", "Arsipkan"]  # closed, not opened
            with pytest.raises(WorkflowPermissionError):
                apply_workflow(ctx, {"doctype": DT, "name": name}, "Setujui")
        finally:
            ctx.rollback()
    assert not marker.exists()


def _actions_in(ctx, name):
    return [t["action"] for t in get_transitions(ctx, ctx.get_doc(DT, name))]


def test_workflow_definitions_are_checked(polos):
    bad = [
        ({"states": polos_workflow()["states"] * 1 + [{"state": "Draf"}]}, "sudah ada"),
        (
            {
                "states": [{"state": "Draf", "doc_status": "1"}],
                "transitions": [],
            },
            "tidak dapat diajukan",
        ),
        ({"workflow_state_field": "status alur"}, "tidak sah"),
    ]
    with polos.begin() as ctx:
        for overrides, message in bad:
            with pytest.raises(ValidationError, match=message):
                ctx.new_doc("Workflow", polos_workflow(workflow_name="Salah", **overrides)).insert()
        wf = ctx.get_doc("Workflow", "Alur Polos")
        wf.transitions[0].allowed_roles = "Uji Kepala\nPeran Fiktif"
        with pytest.raises(ValidationError, match="Peran Fiktif"):
            wf.save()
        wf = ctx.get_doc("Workflow", "Alur Polos")
        wf.states[2].update_field = "tidak_ada"
        with pytest.raises(ValidationError, match="tidak_ada"):
            wf.save()
        wf = ctx.get_doc("Workflow", "Alur Polos")
        wf.states[2].update_field = "docstatus"
        with pytest.raises(ValidationError, match="docstatus"):
            wf.save()
        ctx.rollback()


def test_inserting_in_a_later_state_is_refused_even_for_administrator(polos):
    with pytest.raises(WorkflowPermissionError, match="Draf"):
        new_polos(polos, "Administrator", workflow_state="Selesai")
    with pytest.raises(WorkflowPermissionError):
        new_polos(polos, PETUGAS, workflow_state="Ditinjau")
    with polos.begin(in_import=True) as ctx:  # a data import may bring a known later state
        doc = ctx.new_doc(DT, judul="Impor", workflow_state="Selesai").insert()
        assert doc.workflow_state == "Selesai"
        ctx.new_doc("Workflow State", workflow_state_name="Di Luar Alur").insert()
        with pytest.raises(WorkflowStateError):  # a state, but not one of this workflow
            ctx.new_doc(DT, judul="Impor", workflow_state="Di Luar Alur").insert()
        ctx.rollback()


def test_direct_state_changes_must_be_a_transition_the_user_may_take(polos):
    name = new_polos(polos, nilai=12)
    with pytest.raises(WorkflowPermissionError):  # Draf → Selesai is no transition
        with polos.begin(user=PETUGAS) as ctx:
            doc = ctx.get_doc(DT, name)
            doc.workflow_state = "Selesai"
            doc.save()
    with polos.begin(user=PETUGAS) as ctx:  # Draf → Ditinjau by a plain save is "Ajukan"
        doc = ctx.get_doc(DT, name)
        doc.workflow_state = "Ditinjau"
        doc.save()
    with polos.begin() as ctx:
        rows = ctx.get_all(
            "Workflow Action",
            fields=["status", "workflow_state", "completed_by_role"],
            filters={"reference_name": name},
            order_by="creation asc",
        )
        assert [(r["status"], r["workflow_state"]) for r in rows] == [
            ("Completed", "Draf"),
            ("Open", "Ditinjau"),
        ]
        assert rows[0]["completed_by_role"] == "Uji Petugas"


def test_workflow_actions_skip_optional_states_and_go_with_the_document(polos):
    name = new_polos(polos, nilai=12)
    _apply(polos, PETUGAS, name, "Ajukan")
    with polos.begin() as ctx:
        open_row = ctx.get_all(
            "Workflow Action", filters={"reference_name": name, "status": "Open"}, pluck="name"
        )
        roles = [r.role for r in ctx.get_doc("Workflow Action", open_row[0]).permitted_roles]
        assert roles == ["Uji Kepala", "Uji Supervisor"]  # not Uji Arsiparis: Arsip is optional
        assert ctx.get_count("Workflow SLA", {"reference_name": name}) == 1
    with polos.begin() as ctx:
        ctx.get_doc(DT, name).delete()
    with polos.begin() as ctx:
        assert ctx.get_count("Workflow Action", {"reference_name": name}) == 0
        assert ctx.get_count("Workflow SLA", {"reference_name": name}) == 0


def test_bulk_approval_and_transitions_through_the_whitelisted_functions(polos):
    names = [new_polos(polos, nilai=v) for v in (11, 12, 1)]
    for name in names:
        _apply(polos, PETUGAS, name, "Ajukan")
    bulk = get_method("frappe.model.workflow.bulk_workflow_approval")
    with polos.begin(user=SUPERVISOR) as ctx:
        result = bulk.fn(ctx, docnames=json.dumps(names), doctype=DT, action="Setujui")
    assert result["success"] == names[:2]
    assert [(f["name"], f["exc_type"]) for f in result["failed"]] == [
        (names[2], "WorkflowPermissionError")
    ]
    with polos.begin() as ctx:
        assert [ctx.get_value(DT, n, "workflow_state") for n in names] == [
            "Selesai",
            "Selesai",
            "Ditinjau",
        ]
    with polos.begin(user=KEPALA) as ctx:
        rows = get_method("frappe.model.workflow.get_transitions").fn(
            ctx, doc=json.dumps({"doctype": DT, "name": names[2]})
        )
        with pytest.raises(ValidationError):
            bulk.fn(ctx, docnames=json.dumps(["x"] * 21), doctype=DT, action="Setujui")
    assert rows == []  # nilai 1 fails the condition for Setujui, the only one Kepala has
    with polos.begin(user=SUPERVISOR) as ctx:
        rows = get_method("frappe.model.workflow.get_transitions").fn(
            ctx, doc={"doctype": DT, "name": names[2]}
        )
        assert rows == [
            {
                "state": "Ditinjau",
                "action": "Kembalikan",
                "next_state": "Draf",
                "allowed": "Uji Supervisor",  # Frappe's one role, a string
                "allowed_roles": ["Uji Supervisor"],
                "allow_self_approval": 1,
                "only_creator": 0,
                "condition": "frappe.session.user != 'diblokir@uji.id'",
            }
        ]
        moved = get_method("frappe.model.workflow.apply_workflow").fn(
            ctx, doc=json.dumps({"doctype": DT, "name": names[2], "nilai": 99}), action="Kembalikan"
        )
        assert moved["workflow_state"] == "Draf" and moved["nilai"] == 1  # client edits ignored


def test_a_rolled_back_workflow_change_never_reaches_the_cache(polos):
    name = new_polos(polos)

    class Boom(Exception):
        pass

    with pytest.raises(Boom):
        with polos.begin() as ctx:
            wf = ctx.get_doc("Workflow", "Alur Polos")
            wf.states[0].allow_edit = "Uji Supervisor"
            wf.save()
            ctx.new_doc(DT, judul="memuat alur baru ke cache").insert()
            raise Boom
    with polos.begin() as ctx:
        ctx.meta_changed()  # another change takes the same version number
    with polos.begin(user=PETUGAS) as ctx:
        doc = ctx.get_doc(DT, name)
        doc.nilai = 4
        doc.save()  # Draf is still editable by Uji Petugas


@pytest.mark.parametrize("backend", backends())
def test_next_approvers_are_emailed_their_own_actions(backend, tmp_path_factory, smtp_server):
    port, received = smtp_server
    root = tmp_path_factory.mktemp("wf_mail")
    (root / "common_site_config.json").write_text("{}")
    site = make_site(root, backend, extra=mail_config(port))
    try:
        setup_polos(site, send_email_alert=1)
        name = new_polos(site, SERBA, nilai=12)
        received.clear()
        _apply(site, SERBA, name, "Ajukan")
        by_user = {rcpt[0]: message.get_content() for rcpt, message in received}
        # Setujui (Supervisor/Kepala, not the creator) and Kembalikan (Supervisor); the
        # creator SERBA acted and may not approve; Arsip is optional so nobody is invited
        assert sorted(by_user) == [KEPALA, SUPERVISOR]
        assert "Setujui, Kembalikan" in by_user[SUPERVISOR]
        assert "Setujui" in by_user[KEPALA] and "Kembalikan" not in by_user[KEPALA]
        assert f"/app/uji-alur-polos/{name}" in by_user[KEPALA]
    finally:
        drop_site(site)


@pytest.mark.parametrize("backend", backends())
def test_sla_without_escalation_role_notifies_who_may_act_and_skips_email_without_smtp(
    backend, tmp_path_factory, caplog
):
    root = tmp_path_factory.mktemp("wf_sla")
    (root / "common_site_config.json").write_text("{}")
    site = make_site(root, backend)  # no smtp_server in site_config
    try:
        setup_polos(site)
        start = dt.datetime(2026, 8, 3, 9, 0)
        with site.begin(user=PETUGAS, now=start) as ctx:
            name = ctx.new_doc(DT, judul="Aduan").insert().name
            apply_workflow(ctx, {"doctype": DT, "name": name}, "Ajukan")
        with site.begin(now=start + dt.timedelta(hours=24, minutes=1)) as ctx:
            assert is_overdue(ctx, DT, name)  # a passed deadline shows before the job runs
            status = get_method("layanan_sosial.core.workflow.api.get_sla").fn(
                ctx, doctype=DT, name=name
            )
            assert status["status"] == "Open" and status["is_overdue"]
        with caplog.at_level("INFO"), site.begin(now=start + dt.timedelta(hours=25)) as ctx:
            assert escalate_overdue(ctx) == 1  # the email is tried after commit
        assert "no smtp_server" in caplog.text
        with site.begin(now=start + dt.timedelta(hours=30)) as ctx:
            assert escalate_overdue(ctx) == 0
            users = ctx.get_all(
                "Notification Log", filters={"document_name": name}, pluck="for_user"
            )
            # the roles that may act from Ditinjau: Supervisor, Kepala (Arsiparis has nobody)
            assert sorted(users) == [KEPALA, SERBA, SUPERVISOR]
            assert ctx.get_value("Workflow SLA", {"reference_name": name}, "status") == (
                "Escalated"
            )
    finally:
        drop_site(site)
