def post_init_hook(env):
    """Every company gets the Invoices app's reconciliation models; the
    statement lines already there that wait for review are matched (a
    suggestion and its reasons, nothing reconciled), so the review list
    says something of each."""
    env["res.company"].search([])._crm_bank_reconcile_models()
    match_waiting_lines(env)


def match_waiting_lines(env):
    """Match the statement lines waiting for review that were never matched
    (imported before this addon): a suggestion and its reasons each."""
    waiting = env["account.bank.statement.line"].search(
        [("is_reconciled", "=", False), ("crm_match_kind", "=", False)]
    )
    if waiting:
        env["crm.invoices.bank.matcher"]._match(waiting)
