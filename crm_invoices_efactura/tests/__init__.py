from . import test_exchange
from . import test_anaf_as_it_answers
from . import test_watch
from . import test_xml
from . import test_credentials
from . import test_tour
from . import test_queries
