"""A small workflow on "Uji Alur" shared by the engine and REST workflow tests."""

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
            ctx.new_doc("Workflow State", workflow_state_name=state).insert()
        for action in ("Verifikasi", "Setujui", "Tolak", "Batalkan", "Ajukan Ulang"):
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
