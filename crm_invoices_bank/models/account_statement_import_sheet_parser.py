import threading

from odoo import models
from odoo.exceptions import UserError

from ..lib import sheet_amounts, sheet_guard

#: The row being read, per thread (the parser reads a file row by row).
_reading = threading.local()


class AccountStatementImportSheetParser(models.TransientModel):
    _inherit = "account.statement.import.sheet.parser"

    def _parse_data_xlrd(self, mapping, data_file):
        """EXTENDS account_statement_import_sheet_file: a workbook that would
        expand past a statement's size, or whose parts declare entities, is
        refused before the spreadsheet reader opens it."""
        try:
            sheet_guard.check_xlsx(data_file)
        except sheet_guard.SheetRefused as error:
            raise UserError(
                self.env._("The file cannot be imported: %(reason)s", reason=error)
            ) from None
        return super()._parse_data_xlrd(mapping, data_file)

    def _parse_decimal(self, value, mapping):
        """EXTENDS account_statement_import_sheet_file: an amount is read
        strictly (:mod:`sheet_amounts`): a stray character is an error that
        names the line, never a different amount."""
        if isinstance(value, str):
            sheet_amounts.check(value, *mapping._get_float_separators())
        return super()._parse_decimal(value, mapping)

    def _get_values_from_column(self, values, columns, column_name):
        # EXTENDS account_statement_import_sheet_file: remember the row being
        # read (its date is read first), to say which one a problem is in
        if column_name == "timestamp_column":
            _reading.row = getattr(_reading, "row", 0) + 1
            _reading.values = values
        return super()._get_values_from_column(values, columns, column_name)

    def _parse_rows(self, mapping, currency_code, data, columns):
        """EXTENDS account_statement_import_sheet_file: a row that cannot be
        read refuses the whole file with its line number, its content and the
        reason (nothing is imported)."""
        _reading.row = 0
        _reading.values = None
        reader = data[0]
        try:
            return super()._parse_rows(mapping, currency_code, data, columns)
        except (ValueError, TypeError, IndexError, KeyError, ArithmeticError) as error:
            raise UserError(
                self.env._(
                    "Line %(line)s of the file cannot be read: %(reason)s. "
                    "The line reads: %(values)s. Nothing was imported.",
                    line=self._crm_line_number(mapping, reader),
                    reason=str(error) or error.__class__.__name__,
                    values=" | ".join(str(value) for value in (_reading.values or [])),
                )
            ) from error

    def _crm_line_number(self, mapping, reader):
        """The file's own number of the line being read: the CSV reader's
        (preamble, header, empty lines and quoted line breaks counted); in a
        workbook, the row's."""
        if hasattr(reader, "line_num"):
            return reader.line_num
        return mapping.header_lines_skip_count + _reading.row
