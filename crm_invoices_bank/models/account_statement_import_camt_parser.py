from collections import OrderedDict

from odoo import models
from odoo.exceptions import UserError

from odoo.addons.crm_invoices.lib import safe_xml

from ..lib import camt_check, statement_ids


class AccountStatementImportCamtParser(models.AbstractModel):
    _inherit = "account.statement.import.camt.parser"

    def parse(self, data):
        """EXTENDS account_statement_import_camt:

        - the file is read whole by our safe parser first: a DTD, an entity,
          a syntax error or a truncated file is refused with a message that
          says where, and nothing is imported; OCA's parser (which recovers
          from errors and resolves entities) only ever sees that clean
          document serialized again;
        - ``parse`` is a public method, so callable over RPC: only a user who
          may create statement lines may have a file parsed;
        - a CAMT.053 file with the statements of several accounts (a RON and
          a EUR account, say) is imported account by account, each into its
          own journal; OCA's parser puts them all in the last account's."""
        self.env["account.bank.statement.line"].check_access("create")
        root = self._crm_safe_root(data)
        try:
            camt_check.check(root)
        except camt_check.StatementRefused as error:
            raise UserError(
                self.env._(
                    "The file cannot be imported: %(reason)s Nothing was imported.",
                    reason=error,
                )
            ) from None
        currency, account_number, statements = super().parse(safe_xml.clean_bytes(root))
        if len(statements) < 2:
            return currency, account_number, statements
        ns = root.tag[1 : root.tag.index("}")]
        groups = OrderedDict()
        for node in root[0][1:]:
            statement = self.parse_statement(ns, node)
            if not statement["transactions"]:
                continue
            key = (
                statement.pop("currency", None),
                statement.pop("account_number", None),
            )
            groups.setdefault(key, []).append(statement)
        if len(groups) < 2:
            return currency, account_number, statements
        return [(code, account, items) for (code, account), items in groups.items()]

    def parse_entry(self, ns, node):
        """EXTENDS account_statement_import_camt: each transaction's import
        identity is the bank's own reference (the entry's ``AcctSvcrRef``,
        else its ``NtryRef``; a detail's ``Refs/AcctSvcrRef``) where the
        file gives one (:func:`statement_ids.bank_identities`), so two equal
        fees of one day in two files stay two lines."""
        entry_ref = self._crm_text(ns, node, "./ns:AcctSvcrRef") or self._crm_text(
            ns, node, "./ns:NtryRef"
        )
        details = node.xpath("./ns:NtryDtls/ns:TxDtls", namespaces={"ns": ns})
        identities = statement_ids.bank_identities(
            entry_ref,
            [
                self._crm_text(ns, detail, "./ns:Refs/ns:AcctSvcrRef")
                for detail in details
            ],
        )
        for transaction, identity in zip(
            super().parse_entry(ns, node), identities, strict=False
        ):
            if identity:
                transaction["unique_import_id"] = identity
            yield transaction

    @staticmethod
    def _crm_text(ns, node, path):
        found = node.xpath(path, namespaces={"ns": ns})
        text = (found[0].text or "").strip() if found else ""
        return text or None

    def _crm_safe_root(self, data):
        """The file's root element, read by the safe parser.

        Not XML at all: ``ValueError``, so the import tries its next format
        (a CSV, a ZIP of statements).  XML that is refused: ``UserError``."""
        if not isinstance(data, bytes | bytearray) or not safe_xml.looks_like_xml(data):
            raise ValueError("Not an XML file.")
        what = self.env._("bank statement")
        try:
            return safe_xml.parse(data, what=what)
        except safe_xml.UnsafeXmlError as error:
            first = error
        # Some banks declare UTF-8 and write ISO-8859-15 (OCA reads them so).
        try:
            return safe_xml.parse(
                bytes(data).decode("iso-8859-15").encode("utf-8"), what=what
            )
        except safe_xml.UnsafeXmlError:
            raise UserError(
                self.env._("The file cannot be imported: %(reason)s", reason=first)
            ) from None
