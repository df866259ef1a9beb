"""The QR code of a pay link, as printed on the invoice."""

import base64
import io

import qrcode
from qrcode.image.pure import PyPNGImage


def qr_png(payload, box_size=4):
    """A PNG of the QR code whose payload is ``payload`` (the link itself)."""
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        box_size=box_size,
        border=2,
    )
    code.add_data(payload)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image(image_factory=PyPNGImage).save(buffer)
    return buffer.getvalue()


def qr_data_uri(payload, box_size=4):
    """The QR code as a ``data:`` URI, for a report or a form."""
    return "data:image/png;base64," + base64.b64encode(
        qr_png(payload, box_size)
    ).decode("ascii")
