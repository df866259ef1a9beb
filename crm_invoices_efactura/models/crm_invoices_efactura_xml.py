from odoo import api, models

from ..lib import cius_ro


class CrmInvoicesEfacturaXml(models.AbstractModel):
    """Odoo's CIUS-RO builder (``l10n_ro_edi``), with what ANAF's rules and
    Romanian practice need on top.

    A copy of ``account.edi.xml.ubl_ro`` by inheritance (Odoo's own model is
    left as it is, to compare with): each method extends Odoo's through
    ``super()`` and asks :mod:`..lib.cius_ro` what the file must say.  Every
    problem that would make ANAF refuse the file, or make it wrong, is an
    error of :meth:`_export_invoice_constraints` (the file is not sent).
    """

    _name = "crm.invoices.efactura.xml"
    _inherit = "account.edi.xml.ubl_ro"
    _description = "e-Factura XML (CIUS-RO), as ANAF accepts it"

    # ------------------------------------------------------------------
    # taxes
    # ------------------------------------------------------------------

    @api.model
    def _crm_tax_category(self, tax, customer, supplier):
        """:func:`cius_ro.tax_category` for ``tax``: the category configured
        on the tax, else ``S`` for a rate and, across borders, Odoo's own
        choice (``K`` inside the EU, ``G`` outside)."""
        category = tax.ubl_cii_tax_category_code or None
        if (
            not category
            and not tax.amount
            and customer.country_id
            and customer.country_id != supplier.country_id
        ):
            category = super()._get_tax_unece_codes(customer, supplier, tax)[
                "tax_category_code"
            ]
        return cius_ro.tax_category(
            tax.amount,
            category,
            tax.ubl_cii_tax_exemption_reason_code,
            tax.crm_efactura_exemption_reason,
        )

    def _get_tax_unece_codes(self, customer, supplier, tax):
        # EXTENDS account_edi_ubl_cii: the tax's own category, VATEX codes as
        # the code list writes them, a reason for every exemption
        try:
            category = self._crm_tax_category(tax, customer, supplier)
        except cius_ro.CiusRoError:
            return super()._get_tax_unece_codes(customer, supplier, tax)
        return {
            "tax_category_code": category["category"],
            "tax_exemption_reason_code": category["exemption_code"],
            "tax_exemption_reason": category["exemption_text"],
        }

    # ------------------------------------------------------------------
    # parties
    # ------------------------------------------------------------------

    def _get_partner_address_vals(self, partner):
        # EXTENDS l10n_ro_edi: ISO 3166-2 regions (DE-BY, not DE-DE-BY),
        # Bucharest sectors as SECTOR1..6 however the city is written
        vals = super()._get_partner_address_vals(partner)
        country = partner.country_id.code
        vals["country_subentity"] = cius_ro.region_code(country, partner.state_id.code)
        try:
            vals["city_name"] = cius_ro.city_name(
                country, partner.state_id.code, partner.city
            )
        except cius_ro.CiusRoError:
            pass  # reported by _export_invoice_constraints
        return vals

    def _get_delivery_vals_list(self, invoice):
        # EXTENDS account_edi_ubl_cii: ANAF wants a delivery address's region
        # (BR-RO-211); one without is left out, unless an intra-Community
        # supply needs the delivery country (BR-IC-12: then it is an error of
        # _crm_constraints)
        vals_list = super()._get_delivery_vals_list(invoice)
        for vals in vals_list:
            location = vals.get("delivery_location_vals") or {}
            address = location.get("delivery_address_vals") or {}
            if (
                address
                and not address.get("country_subentity")
                and not self._crm_intra_eu(invoice)
            ):
                vals.pop("delivery_location_vals")
        return [vals for vals in vals_list if any(value for value in vals.values())]

    def _crm_intra_eu(self, invoice):
        customer = invoice.commercial_partner_id
        supplier = invoice.company_id.partner_id.commercial_partner_id
        return any(
            self._crm_category_or_none(tax, customer, supplier) == "K"
            for tax in invoice.invoice_line_ids.tax_ids.flatten_taxes_hierarchy()
        )

    def _crm_category_or_none(self, tax, customer, supplier):
        try:
            return self._crm_tax_category(tax, customer, supplier)["category"]
        except cius_ro.CiusRoError:
            return None

    def _get_partner_contact_vals(self, partner):
        # EXTENDS account_edi_ubl_cii: telephone numbers in international form
        vals = super()._get_partner_contact_vals(partner)
        vals["telephone"] = cius_ro.phone_number(
            vals.get("telephone"), partner.country_id.code
        )
        return vals

    def _crm_party_identifiers(self, party_vals, identifiers):
        """Write ``identifiers`` (``vat``, ``legal_id``) on a party's values:
        a tax scheme only for a VAT number, the legal registration always."""
        if identifiers.get("vat"):
            for vals in party_vals["party_tax_scheme_vals"]:
                vals.update(
                    company_id=identifiers["vat"], tax_scheme_vals={"id": "VAT"}
                )
        else:
            party_vals["party_tax_scheme_vals"] = []
        for vals in party_vals["party_legal_entity_vals"]:
            vals["company_id"] = identifiers["legal_id"]

    # ------------------------------------------------------------------
    # lines
    # ------------------------------------------------------------------

    def _crm_item_texts(self, line):
        return cius_ro.item_texts(line.product_id.name, line.name)

    def _get_invoice_line_item_vals(self, line, taxes_vals):
        # EXTENDS account_edi_ubl_cii: name <= 100, description <= 200
        vals = super()._get_invoice_line_item_vals(line, taxes_vals)
        try:
            texts = self._crm_item_texts(line)
        except cius_ro.CiusRoError:
            return vals  # reported by _export_invoice_constraints
        vals.update(name=texts["name"], description=texts["description"])
        return vals

    def _get_invoice_line_price_vals(self, line):
        # EXTENDS account_edi_ubl_cii: the unit price rounded to the currency
        # or product price precision, not to ten decimals
        vals = super()._get_invoice_line_price_vals(line)
        digits = max(
            self._get_currency_decimal_places(line.currency_id),
            vals.get("product_price_dp") or 0,
        )
        gross = (
            line.price_subtotal / (1.0 - (line.discount or 0.0) / 100.0)
            if line.discount != 100.0
            else 0.0
        )
        vals["price_amount"] = float(cius_ro.unit_price(gross, line.quantity, digits))
        return vals

    def _get_invoice_line_vals(self, line, line_id, taxes_vals):
        # EXTENDS account_edi_ubl_cii: what does not fit the item's name and
        # description goes to the line's note (BT-127)
        vals = super()._get_invoice_line_vals(line, line_id, taxes_vals)
        try:
            vals["note"] = self._crm_item_texts(line)["note"]
        except cius_ro.CiusRoError:
            pass
        return vals

    # ------------------------------------------------------------------
    # document
    # ------------------------------------------------------------------

    def _export_invoice_vals(self, invoice):
        # EXTENDS l10n_ro_edi
        vals = super()._export_invoice_vals(invoice)
        document = vals["vals"]
        supplier = vals["supplier"]
        customer = invoice.commercial_partner_id
        # Odoo's values stand for VAT payers and foreign buyers; a party
        # without a VAT number is identified by its CUI (or a buyer by its CNP,
        # or thirteen zeros), not by thirteen zeros alone
        try:
            seller = cius_ro.seller_identifiers(supplier.vat, supplier.company_registry)
            if not seller["vat"]:
                self._crm_party_identifiers(
                    document["accounting_supplier_party_vals"]["party_vals"], seller
                )
        except cius_ro.CiusRoError:
            pass
        try:
            buyer = cius_ro.buyer_identifiers(
                customer.country_id.code,
                customer.vat,
                customer.company_registry,
                customer.is_company,
            )
            if buyer["kind"] in ("cui", "person", "anonymous"):
                self._crm_party_identifiers(
                    document["accounting_customer_party_vals"]["party_vals"], buyer
                )
        except cius_ro.CiusRoError:
            pass
        # a credit note says which invoice it corrects (BT-25, BT-26)
        origin = invoice.reversed_entry_id
        if invoice.move_type == "out_refund" and origin:
            document["billing_reference_vals"] = {
                "id": origin.name,
                "issue_date": origin.invoice_date,
            }
        return vals

    def _export_invoice_constraints(self, invoice, vals):
        # EXTENDS l10n_ro_edi: what would make ANAF refuse the file, or make
        # it wrong, in words the user can act on
        constraints = super()._export_invoice_constraints(invoice, vals)
        for role in ("supplier", "customer"):
            # l10n_ro_edi refuses "Sector 3" (written out) where we write
            # SECTOR3, and wants a state for foreign partners too, which
            # CIUS-RO asks only of Romanian addresses (BR-RO-110)
            constraints.pop(f"ciusro_{role}_invalid_city_name", None)
            if vals[role].country_id.code != "RO":
                constraints.pop(f"ciusro_{role}_state_id_required", None)
        constraints.update(self._crm_constraints(invoice, vals))
        return constraints

    def _crm_constraints(self, invoice, vals):
        errors = {}
        supplier = vals["supplier"]
        customer = invoice.commercial_partner_id

        def fail(key, error, **values):
            errors[key] = self.env["account.move"]._crm_efactura_error_text(
                error, **values
            )

        for role, partner in (("supplier", supplier), ("customer", vals["customer"])):
            try:
                cius_ro.city_name(
                    partner.country_id.code, partner.state_id.code, partner.city
                )
            except cius_ro.CiusRoError as error:
                fail(f"crm_{role}_sector", error, partner=partner.display_name)
        try:
            cius_ro.seller_identifiers(supplier.vat, supplier.company_registry)
        except cius_ro.CiusRoError as error:
            fail("crm_supplier_identifier", error, partner=supplier.display_name)
        try:
            cius_ro.buyer_identifiers(
                customer.country_id.code,
                customer.vat,
                customer.company_registry,
                customer.is_company,
            )
        except cius_ro.CiusRoError as error:
            fail("crm_customer_identifier", error, partner=customer.display_name)
        shipping = invoice.partner_shipping_id or vals["customer"]
        if self._crm_intra_eu(invoice) and not shipping.state_id:
            errors["crm_delivery_region"] = self.env._(
                "%(partner)s: an intra-Community supply needs the delivery address's "
                "region (state), which ANAF requires (BR-RO-211).",
                partner=shipping.display_name,
            )
        lines = invoice.invoice_line_ids.filtered(
            lambda line: line.display_type not in ("line_note", "line_section")
        )
        for line in lines:
            try:
                self._crm_item_texts(line)
            except cius_ro.CiusRoError as error:
                fail(f"crm_line_{line.id}_text", error, line=(line.name or "")[:40])
        for tax in lines.tax_ids.flatten_taxes_hierarchy():
            try:
                self._crm_tax_category(tax, customer, supplier)
            except cius_ro.CiusRoError as error:
                fail(f"crm_tax_{tax.id}_category", error, tax=tax.name)
        return errors
