import functools
import logging
import subprocess

from odoo import api, models

from odoo.addons.base.models.ir_actions_report import _get_wkhtmltopdf_bin

from ..lib import report_layout

_logger = logging.getLogger(__name__)

# Switches an unpatched wkhtmltopdf ignores (and complains about).
_HEADER_SWITCHES = {"--header-spacing": 1, "--header-line": 0}
# Page margins (mm) once the header and footer print inside the page.
_INLINE_MARGIN = "12"


@functools.cache
def _wkhtmltopdf_version():
    try:
        return subprocess.run(
            [_get_wkhtmltopdf_bin(), "--version"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        ).stdout
    except (OSError, TypeError, subprocess.SubprocessError):
        return ""


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    @api.model
    def _crm_inline_header_footer(self):
        """Whether reports print their header and footer inside the page, in
        installed fonts (a text layer), as an unpatched wkhtmltopdf needs.

        ``crm_invoices.report_inline_header`` (system parameter): ``auto``
        (default: when the wkhtmltopdf binary is not a patched-Qt build, which
        ignores ``--header-html``), ``always`` or ``never``."""
        mode = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("crm_invoices.report_inline_header", "auto")
        )
        if mode in ("always", "never"):
            return mode == "always"
        return not report_layout.is_patched(_wkhtmltopdf_version())

    def _prepare_html(self, html, report_model=False):
        if not self._crm_inline_header_footer():
            return super()._prepare_html(html, report_model=report_model)
        result = super()._prepare_html(
            report_layout.inline_header_footer(html), report_model=report_model
        )
        if not result:
            return result
        bodies, res_ids, _header, _footer, paperformat_args = result
        paperformat_args.update(
            {
                "data-report-margin-top": _INLINE_MARGIN,
                "data-report-margin-bottom": _INLINE_MARGIN,
            }
        )
        # The header and footer are in the bodies: nothing to pass apart.
        bodies = [report_layout.with_system_fonts(str(body)) for body in bodies]
        return bodies, res_ids, "", "", paperformat_args

    def _build_wkhtmltopdf_args(
        self,
        paperformat_id,
        landscape,
        specific_paperformat_args=None,
        set_viewport_size=False,
    ):
        args = super()._build_wkhtmltopdf_args(
            paperformat_id,
            landscape,
            specific_paperformat_args=specific_paperformat_args,
            set_viewport_size=set_viewport_size,
        )
        if not self._crm_inline_header_footer():
            return args
        kept, skip = [], 0
        for arg in args:
            if skip:
                skip -= 1
                continue
            if arg in _HEADER_SWITCHES:
                skip = _HEADER_SWITCHES[arg]
                continue
            kept.append(arg)
        return kept
