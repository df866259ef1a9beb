from . import test_import
from . import test_matching
from . import test_hostile_files
from . import test_import_exactly_once
from . import test_large_statements
from . import test_bank_money_fields
from . import test_bank_references
from . import test_large_imports
