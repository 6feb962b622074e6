"""doc_events for the document events test; record rules for the record rules test
(tests/api/test_record_rules.py)."""

doc_events = {
    "Uji Hook": {"validate": "layanan_test_events.handlers.shout_title"},
    "*": {"on_update": ["layanan_test_events.handlers.count_update"]},
}

# Uji Hook titled "RAHASIA…" is hidden from everyone but Administrator; one titled "ARSIP…"
# may be read but not changed
permission_query_conditions = {"Uji Hook": "layanan_test_events.handlers.hook_not_secret"}
has_permission = {
    "Uji Hook": [
        "layanan_test_events.handlers.hook_doc_not_secret",
        "layanan_test_events.handlers.hook_archive_read_only",
    ]
}
