import logging
import time

from .lib import pay_rules

_logger = logging.getLogger(__name__)


def post_init_hook(env):
    """Every open customer invoice gets its pay link, in batched statements."""
    moves = env["account.move"].search(pay_rules.needs_pay_link_domain())
    started = time.perf_counter()
    queries = env.cr.sql_log_count
    created = env["crm.invoices.pay.link"].sudo()._create_for(moves)
    _logger.info(
        "Pay links for %s open invoices: %s created in %.1f s, %s queries",
        len(moves),
        created,
        time.perf_counter() - started,
        env.cr.sql_log_count - queries,
    )
