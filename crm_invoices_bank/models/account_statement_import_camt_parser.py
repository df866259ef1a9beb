from collections import OrderedDict

from odoo import models


class AccountStatementImportCamtParser(models.AbstractModel):
    _inherit = "account.statement.import.camt.parser"

    def parse(self, data):
        """EXTENDS account_statement_import_camt: a CAMT.053 file with the
        statements of several accounts (a RON and a EUR account, say) is
        imported account by account, each into its own journal; OCA's parser
        puts them all in the last account's."""
        currency, account_number, statements = super().parse(data)
        if len(statements) < 2:
            return currency, account_number, statements
        root = self._crm_root(data)
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

    def _crm_root(self, data):
        from lxml import etree  # noqa: PLC0415

        return etree.fromstring(data, parser=etree.XMLParser(recover=True))
