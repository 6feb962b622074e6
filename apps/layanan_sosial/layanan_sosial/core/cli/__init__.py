"""The `layanan` command line (click). main.py builds the group; commands live in
site_commands.py (sites, users, backup, serve) and job_commands.py (worker, scheduler, start)."""
