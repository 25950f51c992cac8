"""What makes some registers writable: in-memory state per mock process.

UDB's exchange (support needs, contacts, dropout risk, subscriptions, the event feed) and the
Jobnet questionnaire keep what was written here, seeded from the population's facts; their
reads render from the same state, so a read reflects a write at once. Nothing is persisted: a
restarted mock starts again from the facts.
"""
