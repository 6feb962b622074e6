"""Workflows shared by the workflow tests: a small one on the submittable "Uji Alur", and
one on "Uji Alur Polos" (plain, no state field of its own) with several roles per state
and transition, creator rules, conditions using helpers, an SLA and an optional state."""

from __future__ import annotations

PASSWORD = "Kupang-Lontar-2026!"
STATES = [("Baru", 0), ("Diverifikasi", 0), ("Disetujui", 1), ("Ditolak", 0), ("Dibatalkan", 2)]


def setup_workflow(site, sla_hours=None, smtp=None):
    with site.begin() as ctx:
        for role in ("Uji Petugas", "Uji Supervisor"):
            if not ctx.exists("Role", role):
                ctx.new_doc("Role", role_name=role).insert()
        for email, roles in (
            ("petugas.alur@uji.id", ["Uji Petugas"]),
            ("petugas2.alur@uji.id", ["Uji Petugas"]),
            ("supervisor.alur@uji.id", ["Uji Supervisor"]),
        ):
            ctx.new_doc(
                "User",
                email=email,
                first_name=email.split("@")[0],
                new_password=PASSWORD,
                roles=[{"role": r} for r in roles],
            ).insert()
        for state, _ in STATES:
            if not ctx.exists("Workflow State", state):  # shipped workflows have some
                ctx.new_doc("Workflow State", workflow_state_name=state).insert()
        for action in ("Verifikasi", "Setujui", "Tolak", "Batalkan", "Ajukan Ulang"):
            if not ctx.exists("Workflow Action Master", action):
                ctx.new_doc("Workflow Action Master", workflow_action_name=action).insert()
        states = [
            {"state": s, "doc_status": str(d), "allow_edit": "Uji Petugas"} for s, d in STATES
        ]
        states[1].update(
            allow_edit="Uji Supervisor", sla_hours=sla_hours, escalate_to_role="Uji Supervisor"
        )
        states[2].update(update_field="keputusan", update_value="disetujui")
        ctx.new_doc(
            "Workflow",
            workflow_name="Alur Uji",
            document_type="Uji Alur",
            is_active=1,
            states=states,
            transitions=[
                {
                    "state": "Baru",
                    "action": "Verifikasi",
                    "next_state": "Diverifikasi",
                    "allowed": "Uji Petugas",
                },
                {
                    "state": "Diverifikasi",
                    "action": "Setujui",
                    "next_state": "Disetujui",
                    "allowed": "Uji Supervisor",
                    "allowed_roles": "Uji Petugas",
                    "allow_self_approval": 0,
                    "condition": "doc.nilai >= 10",
                },
                {
                    "state": "Diverifikasi",
                    "action": "Tolak",
                    "next_state": "Ditolak",
                    "allowed": "Uji Supervisor",
                },
                {
                    "state": "Ditolak",
                    "action": "Ajukan Ulang",
                    "next_state": "Baru",
                    "allowed": "Uji Petugas",
                    "only_creator": 1,
                },
                {
                    "state": "Disetujui",
                    "action": "Batalkan",
                    "next_state": "Dibatalkan",
                    "allowed": "Uji Supervisor",
                },
            ],
        ).insert()


# --- Uji Alur Polos -------------------------------------------------------------------

DT = "Uji Alur Polos"
USERS = {
    "petugas.polos@uji.id": ["Uji Petugas"],
    "petugas2.polos@uji.id": ["Uji Petugas"],
    "supervisor.polos@uji.id": ["Uji Supervisor"],
    "kepala.polos@uji.id": ["Uji Kepala"],
    "serba.polos@uji.id": ["Uji Petugas", "Uji Supervisor"],
}
PETUGAS, PETUGAS2, SUPERVISOR, KEPALA, SERBA = USERS


def polos_workflow(**overrides) -> dict:
    states = [
        {"state": "Draf", "doc_status": "0", "allow_edit": "Uji Petugas"},
        {
            "state": "Ditinjau",
            "doc_status": "0",
            "allow_edit": "Uji Supervisor",
            "allow_edit_roles": "Uji Kepala",
            "sla_hours": 24,
        },
        {"state": "Selesai", "doc_status": "0", "update_field": "catatan", "update_value": "ok"},
        {"state": "Arsip", "doc_status": "0", "is_optional_state": 1},
    ]
    transitions = [
        {
            "state": "Draf",
            "action": "Ajukan",
            "next_state": "Ditinjau",
            "allowed": "Uji Petugas",
            "only_creator": 1,
        },
        {
            "state": "Ditinjau",
            "action": "Setujui",
            "next_state": "Selesai",
            "allowed": "Uji Supervisor",
            "allowed_roles": "Uji Kepala",
            "allow_self_approval": 0,
            "condition": "doc.nilai >= 10",
        },
        {
            "state": "Ditinjau",
            "action": "Kembalikan",
            "next_state": "Draf",
            "allowed": "Uji Supervisor",
            "condition": "frappe.session.user != 'diblokir@uji.id'",
        },
        {
            "state": "Ditinjau",
            "action": "Arsipkan",
            "next_state": "Arsip",
            "allowed": "Uji Arsiparis",
            "condition": "get_value('User', user, 'enabled') == 1 and now() > '2000-01-01'",
        },
    ]
    return {
        "workflow_name": "Alur Polos",
        "document_type": DT,
        "is_active": 1,
        "states": states,
        "transitions": transitions,
        **overrides,
    }


def setup_polos(site, before=None, *, active_workflow=True, **overrides) -> list[str]:
    """Roles, users, masters; `before` documents are inserted before the Workflow exists."""
    with site.begin() as ctx:
        for role in ("Uji Petugas", "Uji Supervisor", "Uji Kepala", "Uji Arsiparis"):
            if not ctx.exists("Role", role):
                ctx.new_doc("Role", role_name=role).insert()
        for email, roles in USERS.items():
            ctx.new_doc(
                "User",
                email=email,
                first_name=email.split("@")[0],
                new_password=PASSWORD,
                roles=[{"role": r} for r in roles],
            ).insert()
        for state in ("Draf", "Ditinjau", "Selesai", "Arsip"):
            if not ctx.exists("Workflow State", state):  # shipped workflows have some
                ctx.new_doc("Workflow State", workflow_state_name=state).insert()
        for action in ("Ajukan", "Setujui", "Kembalikan", "Arsipkan"):
            if not ctx.exists("Workflow Action Master", action):
                ctx.new_doc("Workflow Action Master", workflow_action_name=action).insert()
    names = [new_polos(site, PETUGAS, **values) for values in before or []]
    if active_workflow:
        with site.begin() as ctx:
            ctx.new_doc("Workflow", polos_workflow(**overrides)).insert()
    return names


def new_polos(site, user=PETUGAS, **values):
    with site.begin(user=user) as ctx:
        return ctx.new_doc(DT, {"judul": "Permohonan", **values}).insert().name
