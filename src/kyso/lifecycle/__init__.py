"""The certificate lifecycle of Decision 508/QĐ-BHXH and letter 26/CNTT-HTA: Form 01 request → the managing
unit's confirmation → Form 02 lists up the hierarchy → the IT Center's review → the list for approval → a
leader's approval → the CA → handover with the key device (Form 03) → activation (Form 04); revocation
(Form 05); key devices; expiry and renewal; the seal rule; bulk revocation; the letter 26 import.

Decisions written down here:

- Who confirms for the IT Center's own units: its own staff and the agency's leadership (placed at the
  root, which has no managing-unit officer) have the IT Center as managing unit, and the IT Center's
  officers do the managing-unit officer's steps for them (`units.py`, `flows.officer`).
- Requester ≠ approver: a leader never approves a list holding a request he filed or a request for himself
  (a renewal of his own certificate included); nobody approves a list he compiled (`flows.LIST`).
- Who sees a Form 01: the officers of the units in scope, the IT Center, the leaders and the auditors see
  the requests; a subscriber (and a clerk) sees only his own, and files only his own.
- Personal data (birth date and place, identity number with its issue date and place, residence, mobile
  phone) is shown only to the person himself, the officers of his managing unit, the IT Center and the
  leader approving the list the request is in — not to auditors or other leaders; every read through the
  API, a page or a form is audited ("lifecycle.personal_data.read", one record per request) (`privacy.py`).
- A person's Form 01 carries his own identity number and e-mail as in his staff record; only his managing
  unit or the IT Center corrects the other identity fields (`requests.check_identity`).
"""
