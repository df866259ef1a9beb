from datetime import date

from odoo.tests import tagged

from .. import queries
from .common import EfacturaCommon


@tagged("post_install", "-at_install")
class TestQueries(EfacturaCommon):
    """Each query of :mod:`..queries` does what its name says (the exchange's
    tests and ``tests/e2e/test_efactura_overlap.py`` run them for real)."""

    def queued(self, **values):
        move = self.ro_invoice(**values)
        move._crm_efactura_queue()
        return move

    def test_claim_upload_once_per_invoice(self):
        move = self.queued()
        submissions = self.env["crm.invoices.efactura.submission"].sudo()
        xml = self.env["ir.attachment"].create({"name": "x.xml", "raw": b"<x/>"})
        first = queries.claim_upload(submissions, move, xml, move.create_date)
        self.assertEqual((first.move_id, first.state), (move, "uploading"))
        self.assertFalse(queries.claim_upload(submissions, move, xml, move.create_date))
        first.state = "rejected"  # no longer live: the invoice may be sent again
        self.assertTrue(queries.claim_upload(submissions, move, xml, move.create_date))

    def test_take_next_to_upload_most_urgent_first(self):
        later = self.queued(invoice_date=date(2026, 11, 20))
        sooner = self.queued(invoice_date=date(2026, 11, 2))
        mine = (later | sooner).ids
        moves = self.env["account.move"]
        others = moves.search(
            [("crm_efactura_state", "=", "to_send"), ("id", "not in", mine)]
        ).ids
        self.assertEqual(queries.take_next_to_upload(moves, others), sooner)
        self.assertEqual(
            queries.take_next_to_upload(moves, [*others, sooner.id]), later
        )
        self.assertFalse(queries.take_next_to_upload(moves, [*others, *mine]))
