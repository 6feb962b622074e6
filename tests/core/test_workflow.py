"""The workflow engine: transitions by roles and conditions, creator rules, edit roles on
the server, docstatus mapping, Workflow Actions, SLA escalation with email — both DBs."""

from __future__ import annotations

import datetime as dt

import pytest
from mailkit import mail_config
from sitekit import backends, drop_site, make_site
from workflow_setup import setup_workflow as _setup

from layanan_sosial.core.exceptions import (
    ValidationError,
    WorkflowPermissionError,
    WorkflowTransitionError,
)
from layanan_sosial.core.workflow.engine import apply_workflow, get_transitions
from layanan_sosial.core.workflow.sla import escalate_overdue, is_overdue


@pytest.fixture(params=backends())
def wf_site(request, sites_root):
    site = make_site(sites_root, request.param)
    _setup(site)
    yield site
    drop_site(site)


def _new(site, user="petugas.alur@uji.id", **values):
    with site.begin(user=user) as ctx:
        return ctx.new_doc("Uji Alur", judul="Aduan", **values).insert().name


def _apply(site, user, name, action):
    with site.begin(user=user) as ctx:
        doc = apply_workflow(ctx, {"doctype": "Uji Alur", "name": name}, action)
        return doc.workflow_state, doc.docstatus


def test_initial_state_and_path_to_approval(wf_site):
    name = _new(wf_site, nilai=12)
    with wf_site.begin() as ctx:
        assert ctx.get_doc("Uji Alur", name).workflow_state == "Baru"
    assert _apply(wf_site, "petugas.alur@uji.id", name, "Verifikasi") == ("Diverifikasi", 0)
    with pytest.raises(WorkflowPermissionError):  # the creator may not approve own document
        _apply(wf_site, "petugas.alur@uji.id", name, "Setujui")
    assert _apply(wf_site, "petugas2.alur@uji.id", name, "Setujui") == (
        "Disetujui",
        1,
    )  # second role works
    with wf_site.begin() as ctx:
        doc = ctx.get_doc("Uji Alur", name)
        assert doc.keputusan == "disetujui"  # update_field/value
        comments = ctx.get_all(
            "Comment", filters={"reference_name": name, "comment_type": "Workflow"}, pluck="content"
        )
        assert sorted(comments) == ["Disetujui", "Diverifikasi"]
    assert _apply(wf_site, "supervisor.alur@uji.id", name, "Batalkan") == ("Dibatalkan", 2)


def test_conditions_roles_and_unknown_actions(wf_site):
    name = _new(wf_site, nilai=3)
    with pytest.raises(WorkflowPermissionError):
        _apply(wf_site, "supervisor.alur@uji.id", name, "Verifikasi")  # wrong role
    _apply(wf_site, "petugas.alur@uji.id", name, "Verifikasi")
    with wf_site.begin(user="supervisor.alur@uji.id") as ctx:
        actions = [t["action"] for t in get_transitions(ctx, ctx.get_doc("Uji Alur", name))]
        assert actions == ["Tolak"]  # Setujui needs nilai >= 10
    with pytest.raises(WorkflowPermissionError):
        _apply(wf_site, "supervisor.alur@uji.id", name, "Setujui")
    with pytest.raises(WorkflowTransitionError):
        _apply(wf_site, "supervisor.alur@uji.id", name, "Terbang")


def test_only_the_creator_may_resubmit(wf_site):
    name = _new(wf_site)
    _apply(wf_site, "petugas.alur@uji.id", name, "Verifikasi")
    _apply(wf_site, "supervisor.alur@uji.id", name, "Tolak")
    with pytest.raises(WorkflowPermissionError):
        _apply(wf_site, "petugas2.alur@uji.id", name, "Ajukan Ulang")
    assert _apply(wf_site, "petugas.alur@uji.id", name, "Ajukan Ulang") == ("Baru", 0)


def test_state_edit_roles_and_direct_state_changes_on_the_server(wf_site):
    name = _new(wf_site, nilai=1)
    with wf_site.begin(user="petugas.alur@uji.id") as ctx:  # Petugas may edit in Baru
        doc = ctx.get_doc("Uji Alur", name)
        doc.nilai = 2
        doc.save()
    _apply(wf_site, "petugas.alur@uji.id", name, "Verifikasi")
    with pytest.raises(WorkflowPermissionError):  # in Diverifikasi only Supervisor edits
        with wf_site.begin(user="petugas.alur@uji.id") as ctx:
            doc = ctx.get_doc("Uji Alur", name)
            doc.nilai = 50
            doc.save()
    with wf_site.begin(user="supervisor.alur@uji.id") as ctx:
        doc = ctx.get_doc("Uji Alur", name)
        doc.nilai = 5  # below the approval condition (nilai >= 10)
        doc.save()
    with pytest.raises(WorkflowPermissionError):  # jumping states by a plain save
        with wf_site.begin(user="supervisor.alur@uji.id") as ctx:
            doc = ctx.get_doc("Uji Alur", name)
            doc.workflow_state = "Baru"
            doc.save()
    with pytest.raises(WorkflowPermissionError):  # submitting around the workflow
        with wf_site.begin(user="supervisor.alur@uji.id") as ctx:
            ctx.get_doc("Uji Alur", name).submit()
    with wf_site.begin(user="supervisor.alur@uji.id") as ctx:  # a submit that IS a transition
        doc = ctx.get_doc("Uji Alur", name)
        doc.nilai = 15
        doc.submit()
        assert doc.workflow_state == "Disetujui" and doc.keputusan == "disetujui"
    with pytest.raises(WorkflowPermissionError):
        _new(wf_site, workflow_state="Disetujui")


def test_workflow_actions_follow_the_document(wf_site):
    name = _new(wf_site, nilai=12)
    with wf_site.begin() as ctx:
        rows = ctx.get_all(
            "Workflow Action",
            fields=["name", "status", "workflow_state"],
            filters={"reference_name": name},
        )
        assert [(r["status"], r["workflow_state"]) for r in rows] == [("Open", "Baru")]
        roles = [r.role for r in ctx.get_doc("Workflow Action", rows[0]["name"]).permitted_roles]
        assert roles == ["Uji Petugas"]
    _apply(wf_site, "petugas.alur@uji.id", name, "Verifikasi")
    with wf_site.begin() as ctx:
        rows = ctx.get_all(
            "Workflow Action",
            fields=["status", "workflow_state", "completed_by", "completed_by_role"],
            filters={"reference_name": name},
            order_by="creation asc",
        )
        assert rows[0]["status"] == "Completed" and rows[0]["completed_by"] == "petugas.alur@uji.id"
        assert rows[0]["completed_by_role"] == "Uji Petugas"
        assert (rows[1]["status"], rows[1]["workflow_state"]) == ("Open", "Diverifikasi")


def test_a_new_workflow_is_seen_by_another_process_state_without_restart(wf_site, sites_root):
    from layanan_sosial.core.site import Site

    other = Site(wf_site.name, wf_site.root)  # a second process's view: its own caches
    try:
        with other.begin() as ctx:
            ctx.new_doc("Uji Alur", judul="x").insert()  # warm its caches
        with wf_site.begin() as ctx:
            wf = ctx.get_doc("Workflow", "Alur Uji")
            wf.states[0].allow_edit = "Uji Supervisor"
            wf.save()
        name = _new(wf_site)
        with pytest.raises(WorkflowPermissionError):
            with other.begin(user="petugas.alur@uji.id") as ctx:
                doc = ctx.get_doc("Uji Alur", name)
                doc.nilai = 9
                doc.save()
    finally:
        other.dispose()


def test_bad_workflow_definitions_are_refused(wf_site):
    with wf_site.begin() as ctx:
        with pytest.raises(ValidationError) as err:
            ctx.new_doc(
                "Workflow",
                workflow_name="Salah",
                document_type="Uji Alur",
                states=[{"state": "Baru", "doc_status": "0"}],
                transitions=[
                    {
                        "state": "Baru",
                        "action": "Setujui",
                        "next_state": "Disetujui",
                        "allowed": "Uji Petugas",
                    }
                ],
            ).insert()
        assert "Disetujui" in str(err.value)
        with pytest.raises(ValidationError):
            ctx.new_doc(
                "Workflow",
                workflow_name="Salah2",
                document_type="Uji Alur",
                states=[
                    {"state": "Baru", "doc_status": "0"},
                    {"state": "Dibatalkan", "doc_status": "2"},
                ],
                transitions=[
                    {
                        "state": "Baru",
                        "action": "Batalkan",
                        "next_state": "Dibatalkan",
                        "allowed": "Uji Petugas",
                    }
                ],
            ).insert()
        ctx.rollback()


@pytest.mark.parametrize("backend", backends())
def test_sla_overdue_escalates_once_with_notification_and_email(sites_root, backend, smtp_server):
    port, received = smtp_server
    site = make_site(sites_root, backend, extra=mail_config(port))
    try:
        _setup(site, sla_hours=24)
        start = dt.datetime(2026, 7, 1, 8, 0)
        with site.begin(user="petugas.alur@uji.id", now=start) as ctx:
            name = ctx.new_doc("Uji Alur", judul="Aduan mendesak").insert().name
            apply_workflow(ctx, ctx.get_doc("Uji Alur", name), "Verifikasi")
        with site.begin(now=start + dt.timedelta(hours=23)) as ctx:
            assert escalate_overdue(ctx) == 0
            assert not is_overdue(ctx, "Uji Alur", name)
        with site.begin() as ctx:
            assert escalate_overdue(ctx, now=start + dt.timedelta(hours=25)) == 1
        with site.begin(now=start + dt.timedelta(hours=26)) as ctx:
            assert escalate_overdue(ctx) == 0  # only once
            assert is_overdue(ctx, "Uji Alur", name)
            logs = ctx.get_all(
                "Notification Log", fields=["for_user", "subject"], filters={"document_name": name}
            )
            assert [row["for_user"] for row in logs] == ["supervisor.alur@uji.id"]
            assert "Diverifikasi" in logs[0]["subject"]
        assert len(received) == 1  # sent after commit, before begin() returned
        recipients, message = received[0]
        assert recipients == ["supervisor.alur@uji.id"] and name in message["Subject"]
        with site.begin(
            user="supervisor.alur@uji.id"
        ) as ctx:  # the supervisor sees it, acting closes it
            assert ctx.get_all(
                "Notification Log", filters={"document_name": name}, pluck="for_user"
            ) == ["supervisor.alur@uji.id"]
            apply_workflow(ctx, {"doctype": "Uji Alur", "name": name}, "Tolak")
        with site.begin() as ctx:
            row = ctx.get_all(
                "Workflow SLA", fields=["status", "met_at"], filters={"reference_name": name}
            )[0]
            assert row["status"] == "Escalated" and row["met_at"] is not None
    finally:
        drop_site(site)


@pytest.mark.parametrize("backend", backends())
def test_sla_escalation_reaches_only_holders_of_the_role_who_may_read_the_document(
    sites_root, backend, smtp_server
):
    port, received = smtp_server
    site = make_site(sites_root, backend, extra=mail_config(port))
    elsewhere = "supervisor.lain@uji.id"  # Uji Supervisor, scoped to another document
    try:
        _setup(site, sla_hours=24)
        start = dt.datetime(2026, 7, 1, 8, 0)
        with site.begin(user="petugas.alur@uji.id", now=start) as ctx:
            name = ctx.new_doc("Uji Alur", judul="Aduan mendesak").insert().name
            other = ctx.new_doc("Uji Alur", judul="Aduan lain").insert().name
            apply_workflow(ctx, ctx.get_doc("Uji Alur", name), "Verifikasi")
        with site.begin() as ctx:
            ctx.new_doc(
                "User", email=elsewhere, first_name="Lain", roles=[{"role": "Uji Supervisor"}]
            ).insert()
            ctx.new_doc(
                "User Permission", user=elsewhere, allow="Uji Alur", for_value=other
            ).insert()
        with site.begin() as ctx:
            assert escalate_overdue(ctx, now=start + dt.timedelta(hours=25)) == 1
        with site.begin() as ctx:
            logs = ctx.get_all(
                "Notification Log", pluck="for_user", filters={"document_name": name}
            )
        assert logs == ["supervisor.alur@uji.id"]
        assert [rcpt for rcpt, _ in received] == [["supervisor.alur@uji.id"]]
    finally:
        drop_site(site)


def test_an_amendment_starts_again_at_the_first_state(wf_site):
    name = _new(wf_site, nilai=12)
    _apply(wf_site, "petugas.alur@uji.id", name, "Verifikasi")
    _apply(wf_site, "supervisor.alur@uji.id", name, "Setujui")
    assert _apply(wf_site, "supervisor.alur@uji.id", name, "Batalkan") == ("Dibatalkan", 2)
    with wf_site.begin(user="petugas.alur@uji.id") as ctx:
        amended = ctx.get_doc("Uji Alur", name).amend()
        assert amended.workflow_state == "Dibatalkan"  # copied: the field is not no_copy
        amended.insert()
        assert (amended.workflow_state, amended.docstatus) == ("Baru", 0)
        assert [t["action"] for t in get_transitions(ctx, amended)] == ["Verifikasi"]
