"""Helper processes that stop with the server that started them."""

import ctypes
import os
import signal
import sys

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def stop_with_parent():
    """Return the parent's pid, and on Linux ask to be sent SIGTERM the moment it dies.

    A helper's loop also compares `os.getppid()` with the returned pid between runs; the
    signal ends a helper that is in the middle of a long run when the server is killed.
    """
    parent = os.getppid()
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        except (OSError, AttributeError):  # no prctl: the loop's check still applies
            pass
    if os.getppid() != parent:  # the parent died before the request took effect
        sys.exit(0)
    return parent
