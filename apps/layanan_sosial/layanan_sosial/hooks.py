"""Hooks of the layanan_sosial app: what the engine should run for this app, declared here.

`scheduler_events` is the ONE place scheduled jobs are declared (read by core.jobs by app
name). Shape:

    scheduler_events = {
        "cron": {"*/15 * * * *": ["layanan_sosial.slrt.sla.escalate"]},
        "hourly": [...], "daily": [...], "weekly": [...], "monthly": [...],
        "all": [...],          # every minute
        "daily_long": [...],   # any event + "_long" runs on the "long" queue
    }

Each entry is a dotted path to `fn(ctx)`; it runs once per site, as Administrator, in its
own transaction.
"""

from __future__ import annotations

scheduler_events: dict = {
    # workflow SLA deadlines: flag overdue documents and escalate them (idempotent)
    "cron": {"*/5 * * * *": ["layanan_sosial.core.workflow.sla.escalate_overdue"]},
    # referrals past their follow-up date: flag and remind the case worker (idempotent)
    "daily": ["layanan_sosial.slrt.jadwal.ingatkan_rujukan_terlambat"],
}

doc_events: dict = {
    # a Mitra LKS user bound to a Lembaga Mitra gets its Panti at once (panti/akses.py)
    "User Permission": {
        "after_insert": "layanan_sosial.panti.akses.on_user_permission",
        "on_trash": "layanan_sosial.panti.akses.on_user_permission",
    },
}
