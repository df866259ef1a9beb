from odoo import api, models


class PaymentProvider(models.Model):
    _inherit = "payment.provider"

    @api.model
    def _crm_demo_enable_demo_provider(self):
        """Demo data: Odoo's demo provider, in test mode and published, takes
        payments on the demo pay links when ``payment_demo`` is installed (a
        module for trying things out, not a dependency of this addon)."""
        demo = self.env.ref("payment.payment_provider_demo", raise_if_not_found=False)
        if not demo or demo.module_state != "installed":
            return False
        demo.write({"state": "test", "is_published": True})
        return True
