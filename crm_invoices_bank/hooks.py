def post_init_hook(env):
    """Every company gets the Invoices app's reconciliation models."""
    env["res.company"].search([])._crm_bank_reconcile_models()
