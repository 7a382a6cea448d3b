"""Test helpers of the org app, for its tests and the tests of other apps."""

from __future__ import annotations

from kyso.core.context import acting_as
from kyso.org import contacts


def phone_change(demo, officer_login: str):
    """A new mobile number for the demo subscriber (thuebao), asked for by the officer `officer_login`: waiting for
    the subscriber's code or a second officer's approval."""
    officer = demo.user(officer_login)
    with acting_as(officer, channel="cli"):
        return contacts.request_change(demo.user("thuebao").person, "phone_mobile", "0987123456", actor=officer)
