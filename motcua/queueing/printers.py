"""Sending bytes to a ticket printer (TicketPrinter): raw TCP (port 9100, what thermal
printers on the network listen on), a USB or serial device file (/dev/usb/lp0), or a raw
CUPS queue (`lp -d <queue> -o raw`). Each either sends everything or raises PrinterError
within the timeout (MOTCUA_PRINTER_TIMEOUT): a printer that is off never holds the worker.

A device file must match one of MOTCUA_PRINTER_DEVICES (shell patterns): an administrator
cannot make the worker write into any other file. Nothing here needs a printer library."""

import errno
import fnmatch
import os
import re
import select
import shutil
import socket
import subprocess
import time

from django.utils.translation import gettext as _

from . import conf
from .models import TicketPrinter, Transport

DEFAULT_PORT = 9100
QUEUE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.@-]{0,126}")
HOST_PORT = re.compile(r"\[?(?P<host>[A-Za-z0-9_.:-]+?)\]?(?::(?P<port>\d{1,5}))?")


class PrinterError(Exception):
    """The printer did not take the bytes (refused, timed out, missing, not allowed)."""


def network_address(target: str) -> tuple[str, int]:
    """'host', 'host:port' or '[v6 address]:port' → (host, port); ValueError if malformed."""
    target = target.strip()
    if target.count(":") > 1 and not target.startswith("["):
        return target, DEFAULT_PORT  # a bare IPv6 address
    match = HOST_PORT.fullmatch(target)
    if not match:
        raise ValueError(target)
    port = int(match["port"] or DEFAULT_PORT)
    if not 0 < port < 65536:
        raise ValueError(target)
    return match["host"], port


def device_allowed(path: str) -> bool:
    if not os.path.isabs(path) or os.path.normpath(path) != path:
        return False
    return any(fnmatch.fnmatchcase(path, pattern) for pattern in conf.printer_devices())


def target_error(transport: str, target: str) -> str | None:
    """Why `target` is not an address for `transport` (the admin form's check), else None."""
    if transport == Transport.NETWORK:
        try:
            network_address(target)
        except ValueError:
            return _("Give the printer's host name or IP address, with :port if not 9100.")
    elif transport == Transport.DEVICE:
        if not device_allowed(target):
            return _("Give a printer device such as /dev/usb/lp0 (allowed: %(patterns)s).") % {
                "patterns": ", ".join(conf.printer_devices())
            }
    elif transport == Transport.CUPS and not QUEUE_NAME.fullmatch(target):
        return _("Give the name of a CUPS queue (letters, digits, dot, dash, underscore).")
    return None


def send(printer: TicketPrinter, data: bytes) -> None:
    error = target_error(printer.transport, printer.target)
    if error:
        raise PrinterError(error)
    if printer.transport == Transport.NETWORK:
        _network(printer.target, data)
    elif printer.transport == Transport.DEVICE:
        _device(printer.target, data)
    else:
        _cups(printer.target, data)


def _network(target: str, data: bytes) -> None:
    host, port = network_address(target)
    try:
        with socket.create_connection((host, port), timeout=conf.printer_timeout()) as link:
            link.sendall(data)
            link.shutdown(socket.SHUT_WR)
    except OSError as error:
        raise PrinterError(f"{host}:{port}: {error}") from error


def _device(path: str, data: bytes) -> None:
    """Written without blocking: a printer out of paper or off stops taking bytes, and the
    write gives up at the timeout instead of holding the worker."""
    deadline = time.monotonic() + conf.printer_timeout()
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_NONBLOCK | os.O_NOCTTY)
    except OSError as error:
        raise PrinterError(f"{path}: {error}") from error
    try:
        view = memoryview(data)
        while view:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([], [fd], [], left)[1]:
                raise PrinterError(f"{path}: the printer stopped taking data")
            try:
                view = view[os.write(fd, view) :]
            except BlockingIOError:
                continue
            except OSError as error:
                if error.errno == errno.EINTR:
                    continue
                raise PrinterError(f"{path}: {error}") from error
    finally:
        os.close(fd)


def _cups(queue: str, data: bytes) -> None:
    lp = shutil.which("lp")
    if lp is None:
        raise PrinterError("lp (CUPS) is not installed on this server")
    try:
        done = subprocess.run(  # noqa: S603 - fixed program, queue name checked, no shell
            [lp, "-d", queue, "-o", "raw"],
            input=data,
            capture_output=True,
            timeout=conf.printer_timeout(),
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise PrinterError(f"lp -d {queue}: {error}") from error
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip()[:300]
        raise PrinterError(f"lp -d {queue}: {message or done.returncode}")
