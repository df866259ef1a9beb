"""An invoice's e-Factura state, and its sets, named once.

What ANAF has of an invoice is ``l10n_ro_edi``'s own state (its document:
sent, validated); what that addon does not say is kept beside it, as a
*step* of our exchange: waiting for the next exchange, being uploaded,
refused by ANAF's rules here, rejected by ANAF.  :func:`invoice_state`
reads both as the one state a user sees.
"""

#: The states a user sees, in the order of an invoice's life.
STATES = (
    ("to_send", "To send"),
    ("sending", "Sending"),
    ("sent", "Sent"),
    ("accepted", "Accepted"),
    ("rejected", "Rejected"),
    ("error", "Error"),
)
#: ``l10n_ro_edi``'s state (``l10n_ro_edi_state``), as we name it.
FROM_ODOO = {"invoice_sent": "sent", "invoice_validated": "accepted"}
#: What ``l10n_ro_edi`` does not say, kept beside it.
STEPS = tuple((key, label) for key, label in STATES if key not in FROM_ODOO.values())

#: Reported within the deadline: ANAF has it.
REPORTED = ("sent", "accepted")
#: ANAF has it, or is receiving it: never changed, reset or sent again.
AT_ANAF = ("sending", *REPORTED)
#: Queued or at ANAF: sending again does nothing.
QUEUED = ("to_send", *AT_ANAF)
#: Refused (here by ANAF's rules, or by ANAF): to correct.
TO_CORRECT = ("rejected", "error")
#: May be checked and queued: never sent, or refused and corrected.
SENDABLE = (False, *TO_CORRECT)
#: Waiting for the exchange job.
WAITING = ("to_send", "sending")
#: Forgotten when the invoice is reset to draft (corrected, then posted).
CLEARED_BY_RESET = ("to_send", *TO_CORRECT)
#: Shown as they are in the list, whatever the deadline.
SHOWN_AS_IS = (*REPORTED, *TO_CORRECT, "sending")

#: Submissions (uploads) that stand for the invoice at ANAF, or may while an
#: upload's outcome is unknown: at most one per invoice (a unique index).
LIVE_SUBMISSIONS = ("uploading", "unknown", "sent", "accepted")


def invoice_state(odoo_state, step):
    """The state a user sees: ``l10n_ro_edi``'s where it has one, else the
    exchange's step (``False`` when nothing happened yet)."""
    return FROM_ODOO.get(odoo_state) or step or False
