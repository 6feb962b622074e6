"""A test app without DocTypes that only declares doc_events in its hooks."""
