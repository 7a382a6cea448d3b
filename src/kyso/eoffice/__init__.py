"""Outgoing and incoming official documents: drafting, leader's signature, clerk's seal and number, dispatch, arrival verified (Art. 8.8)."""
