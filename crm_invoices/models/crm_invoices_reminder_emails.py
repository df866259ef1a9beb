import logging

from odoo import api, fields, models

_logger = logging.getLogger(__name__)

#: What is rendered of a reminder template (``partner_to``: the recipients).
RENDERED = ("subject", "body_html", "email_from", "partner_to")


class CrmInvoicesReminderEngine(models.AbstractModel):
    """The emails of the reminder job: one per invoice, or one statement per
    customer, made for a whole batch at once.

    Each email is what Odoo's mail composer would post with the level's
    template (same author, recipients, subtype, reply-to, queue, language),
    but what every email reads is read once for the batch: the reminders are
    created together, the invoices' tokens, pay links and interest computed
    together, the template rendered for all records of a level at once, and
    the lookups ``message_post`` does per message (alias domain, company,
    reply-to, author) done once.
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
        moves = self._mail_context(moves).with_context(
            crm_pay_urls=moves._crm_pay_urls()
        )
        template = level.mail_template_id.with_env(moves.env)
        rendered = template._generate_template(moves.ids, RENDERED)
        messages = self._post_rendered(moves, template, rendered)
        for reminder in reminders:
            reminder.mail_message_id = messages[reminder.move_id.id]
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
        template = self.env.ref("crm_invoices.mail_template_statement")
        customers = self._mail_context(statements.partner_id)
        rendered, recipients = {}, {}
        for statement, group in zip(statements, groups, strict=True):
            customer = statement.partner_id
            # the statement is the template's context: rendered per customer
            by_customer = (
                template.with_env(customers.env)
                .with_context(crm_statement=self._statement(group, pay_urls, interest))
                ._generate_template(customer.ids, RENDERED)
            )
            rendered[statement.id] = by_customer[customer.id]
            recipients[statement.id] = self._statement_recipients(group).ids
        # posted on the statement, which only those who may see the
        # company's invoices read: never on the customer's contact
        messages = self._post_rendered(
            self._mail_context(statements), template, rendered, recipients
        )
        for reminder in reminders:
            reminder.mail_message_id = messages[reminder.statement_id.id]
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
            "lines": lines,
            "totals": list(totals.items()),
            "interest": list(interest_totals.items()),
            "pay_url": moves._crm_statement_pay_url(),
            "company": moves[:1].company_id,
        }

    @api.model
    def _mail_context(self, records):
        # No signup invitation in a reminder: preparing one writes the customer,
        # which two runs reminding the same customer would do at once.
        return records.with_context(
            mail_notify_force_send=False,
            mail_create_nosubscribe=True,  # the job follows no invoice
            lang=None,
            crm_invoices_no_signup=True,
        )

    @api.model
    def _post_rendered(self, records, template, rendered, recipients=None):
        """Post on each of ``records`` its email ``rendered`` from
        ``template`` (``_generate_template``'s values), as the mail composer
        does.

        :param recipients: ``{record id: partner ids}``, else the template's
        :return: ``{record id: message}``
        """
        subtype = self.env.ref("mail.mt_comment").id
        alias_domains = records.sudo()._mail_get_alias_domains(
            default_company=self.env.company
        )
        companies = records._mail_get_companies(default=self.env.company)
        senders = {}
        for record in records:
            email_from = rendered[record.id].get("email_from")
            senders.setdefault(email_from, []).append(record.id)
        authors, reply_to = {}, {}
        for email_from, ids in senders.items():
            author_id, _email = records[:1]._message_compute_author(
                None, email_from, raise_on_email=False
            )
            authors[email_from] = author_id or self.env.user.partner_id.id
            reply_to.update(
                records.browse(ids)._notify_get_reply_to(default=email_from)
            )
        messages = {}
        for record in records:
            values = rendered[record.id]
            email_from = values.get("email_from")
            partner_ids = (
                recipients[record.id]
                if recipients is not None
                else values.get("partner_ids") or []
            )
            messages[record.id] = record.message_post(
                body=values.get("body_html") or "",
                subject=values.get("subject"),
                email_from=email_from,
                author_id=authors[email_from],
                partner_ids=partner_ids,
                message_type="comment",
                subtype_id=subtype,
                email_layout_xmlid=template.email_layout_xmlid or False,
                mail_auto_delete=template.auto_delete,
                email_add_signature=False,
                record_company_id=companies[record.id].id,
                record_alias_domain_id=alias_domains[record.id].id,
                reply_to=reply_to[record.id],
            )
        return messages
