from . import account_statement_import
from . import account_statement_import_sheet_parser
