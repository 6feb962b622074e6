"""doc_events for the document events test."""

doc_events = {
    "Uji Hook": {"validate": "layanan_test_events.handlers.shout_title"},
    "*": {"on_update": ["layanan_test_events.handlers.count_update"]},
}
