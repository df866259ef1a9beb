"""Batch jobs that keep their progress.

A scheduled job over thousands of records commits after each batch, so that a
crash or a timeout keeps what was done.  Odoo's tests run every job in one
transaction they roll back: there, a job must never commit.
"""

import threading


def may_commit():
    """Whether a batch job may commit its progress: not inside Odoo's tests
    (Odoo marks the thread that runs them ``testing``)."""
    return not getattr(threading.current_thread(), "testing", False)
