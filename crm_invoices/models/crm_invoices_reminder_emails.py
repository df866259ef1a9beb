import logging

from odoo import api, fields, models

_logger = logging.getLogger(__name__)


class CrmInvoicesReminderEngine(models.AbstractModel):
    """The emails of the reminder job: one per invoice, or one statement per
    customer, made for a whole batch at once.

    Each batch is posted by Odoo's mail composer in its batch comment mode
    (one composer for many records: the template rendered for all of them at
    once, the company, alias domain and reply-to of every record looked up
    together, then ``message_post`` on each), and what every email reads is
    read once for the batch: the reminders are created together, the
    invoices' tokens, pay links and interest computed together.
    """

    _inherit = "crm.invoices.reminder.engine"

    @api.model
    def _reminder_values(self, move, level, days_late, sent_by, email_to):
        """The record of one reminder of ``move`` at ``level``."""
        return {
            "move_id": move.id,
            "level_id": level.id,
            "sent_by": sent_by,
            "user_id": self.env.uid if sent_by == "user" else False,
            "days_overdue": days_late,
            "amount_due": move.amount_residual,
            "currency_id": move.currency_id.id,
            "email_to": email_to,
        }

    @api.model
    def _send_together(self, emails, sent_by):
        """Send ``emails`` (``[[(move, level, days_late)]]``, see
        :meth:`_emails`) in batches: the per-invoice emails a level at a
        time, the statements all at once, each batch in a savepoint.  A
        batch that fails is left to the caller, which sends its emails one
        at a time (and tells a concurrent update from a failure).
        :return: the reminders sent
        """
        reminders = self.env["crm.invoices.reminder"]
        by_level, statements = {}, []
        for group in emails:
            move, level, _days = group[0]
            if not self._per_customer(move):
                by_level.setdefault(level, []).extend(group)
                continue
            # a customer once per batch (it may owe several companies)
            customer = move.commercial_partner_id
            for batch in statements:
                if customer not in batch:
                    batch[customer] = group
                    break
            else:
                statements.append({customer: group})
        batches = [
            (self._send_level, (level, items)) for level, items in by_level.items()
        ]
        batches += [
            (self._send_statements, (list(batch.values()),)) for batch in statements
        ]
        for send, args in batches:
            try:
                with self.env.cr.savepoint():
                    reminders |= send(*args, sent_by)
            except Exception as error:  # noqa: BLE001 - each is tried again alone
                _logger.info(
                    "Reminder emails of a batch are sent one by one: %s", error
                )
        return reminders

    @api.model
    def _send_one(self, move, level, days_late, sent_by):
        return self._send_level(level, [(move, level, days_late)], sent_by)

    @api.model
    def _send_level(self, level, items, sent_by):
        """One email per invoice of ``items`` (``[(move, level, days_late)]``)
        with the template of ``level``."""
        moves = self.env["account.move"].concat(*(move for move, _l, _d in items))
        reminders = self.env["crm.invoices.reminder"].create(
            [
                self._reminder_values(
                    move, level, days_late, sent_by, move.partner_id.email_formatted
                )
                for move, level, days_late in items
            ]
        )
        reminders.flush_recordset()  # the unique constraint speaks before the email
        messages = self._post_with_template(
            moves,
            level.mail_template_id,
            crm_pay_urls=moves._crm_pay_urls(),
        )
        for reminder in reminders:
            reminder.mail_message_id = messages[reminder.move_id.id]
        reminders._crm_webhook_emit()
        return reminders

    @api.model
    def _send_statement(self, group, sent_by):
        return self._send_statements([group], sent_by)

    @api.model
    def _send_statements(self, groups, sent_by):
        """One statement per group of ``groups`` (a customer's invoices
        ``[(move, level, days_late)]``): each invoice's reminder is recorded
        (once per level, as per invoice), then one email goes to the
        customer, listing every invoice with the level it reached, the
        total, the interest and one link to pay."""
        moves = self.env["account.move"].concat(
            *(move for group in groups for move, _l, _d in group)
        )
        statements = self.env["crm.invoices.statement"].create(
            [self._statement_values(group) for group in groups]
        )
        values = []
        for statement, group in zip(statements, groups, strict=True):
            values += [
                {
                    **self._reminder_values(
                        move, level, days_late, sent_by, statement.email_to
                    ),
                    "statement_id": statement.id,
                }
                for move, level, days_late in group
            ]
        reminders = self.env["crm.invoices.reminder"].create(values)
        reminders.flush_recordset()  # the unique constraint speaks before the email
        pay_urls = moves._crm_pay_urls()
        interest = moves._crm_late_interest_unbilled(fields.Date.context_today(self))
        # posted on the statement, which only those who may see the
        # company's invoices read: never on the customer's contact
        messages = self._post_with_template(
            statements,
            self.env.ref("crm_invoices.mail_template_statement"),
            crm_statements={
                statement.id: self._statement(group, pay_urls, interest)
                for statement, group in zip(statements, groups, strict=True)
            },
        )
        for reminder in reminders:
            reminder.mail_message_id = messages[reminder.statement_id.id]
        reminders._crm_webhook_emit()
        return reminders

    @api.model
    def _statement_recipients(self, group):
        """Who receives the statement of ``group``: the invoices' customers
        (or their invoicing contacts) that have an email address."""
        moves = self.env["account.move"].concat(*(move for move, _l, _d in group))
        return moves.partner_id.filtered("email")

    @api.model
    def _statement_values(self, group):
        """The record of the statement of ``group`` (one customer's invoices
        of one company)."""
        move = group[0][0]
        return {
            "partner_id": move.commercial_partner_id.id,
            "company_id": move.company_id.id,
            "email_to": ", ".join(
                self._statement_recipients(group).mapped("email_formatted")
            ),
        }

    @api.model
    def _statement(self, group, pay_urls, interest):
        """What the statement template shows for a customer's ``group``."""
        moves = self.env["account.move"].concat(*(move for move, _l, _d in group))
        lines = [
            {
                "name": move.name,
                "pay_url": pay_urls[move.id],
                "due": move.invoice_date_due,
                "days": days_late,
                "left": move.amount_residual,
                "currency": move.currency_id,
                "level": level.name,
                "interest": interest.get(move.id, 0.0),
            }
            for move, level, days_late in sorted(
                group, key=lambda item: (item[0].invoice_date_due, item[0].id)
            )
        ]
        totals, interest_totals = {}, {}
        for line in lines:
            totals[line["currency"]] = totals.get(line["currency"], 0) + line["left"]
            if line["interest"]:
                interest_totals[line["currency"]] = (
                    interest_totals.get(line["currency"], 0) + line["interest"]
                )
        return {
            "partner_to": ",".join(
                str(partner_id) for partner_id in self._statement_recipients(group).ids
            ),
            "lines": lines,
            "totals": list(totals.items()),
            "interest": list(interest_totals.items()),
            "pay_url": moves._crm_statement_pay_url(),
            "company": moves[:1].company_id,
        }

    @api.model
    def _post_with_template(self, records, template, **context):
        """Post ``template`` on each of ``records`` (invoices or statements:
        their ``partner_id`` is the customer) with Odoo's mail composer in
        batch comment mode -- what its "send" does for several records -- one
        composer per customer language, which copies the template's text in
        that language; ``context``: what the template reads from ``ctx``.

        No signup invitation in a reminder: preparing one writes the
        customer, which two runs reminding the same customer would do at
        once; the job follows nothing it writes to.
        :return: ``{record id: message}``
        """
        by_lang = {}
        for record in records:
            by_lang.setdefault(record.partner_id.lang or False, []).append(record.id)
        messages = {}
        for lang, ids in by_lang.items():
            composer = (
                self.env["mail.compose.message"]
                .with_context(
                    mail_notify_force_send=False,
                    mail_create_nosubscribe=True,
                    crm_invoices_no_signup=True,
                    lang=lang or None,
                    **context,
                )
                .create(
                    {
                        "composition_mode": "comment",
                        "model": records._name,
                        "res_ids": ids,
                        "template_id": template.id,
                        "message_type": "comment",
                        "subtype_id": self.env.ref("mail.mt_comment").id,
                        "email_add_signature": False,
                    }
                )
            )
            # the composer posts on its records in their order, one each
            posted = composer._action_send_mail()[1]
            messages.update(zip(ids, posted, strict=True))
        return messages
