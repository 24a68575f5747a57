"""Where the phone's page listens, and the code a phone's camera reads to open it."""

from __future__ import annotations

import io
import socket
from functools import cache

PROBES = ("10.255.255.255", "192.168.255.255", "172.31.255.255")  # private networks: nothing is sent


def local_address() -> str:
    """This computer's address on its local network, as a phone on it reaches it: the address a
    packet to a private network would leave from (a datagram socket's connect sends nothing);
    127.0.0.1 when there is no such network."""
    for probe in PROBES:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            try:
                s.connect((probe, 9))
                address = s.getsockname()[0]
            except OSError:
                continue
        if address and not address.startswith(("127.", "0.")):
            return address
    return "127.0.0.1"


@cache  # printed before the session and drawn on its board: made once
def qr(url: str) -> str:
    """The address as a QR code drawn in the terminal (two rows to a line of text)."""
    import segno

    out = io.StringIO()
    segno.make(url, error="m").terminal(out=out, compact=True, border=2)
    return out.getvalue()
