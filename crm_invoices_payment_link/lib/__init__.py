"""Rules of the pay links that need no database (tokens, amounts, QR codes)."""
