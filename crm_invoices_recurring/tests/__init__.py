from . import test_schedule
from . import test_api_recurrence
from . import test_autopay
from . import test_overview
from . import test_tour
