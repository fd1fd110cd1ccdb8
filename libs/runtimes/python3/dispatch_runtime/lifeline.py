"""The lifeline (DISPATCH_LIFELINE_FD, the shim contract in libs/contracts/src/functions.ts).

A pipe or socket whose other end only the process that started the shim holds. Nothing is ever
sent on it; a read that gives end-of-file (or fails) means that process is gone, however it died,
and the shim must go too rather than live on as an orphan.
"""

import os
import stat
import threading


class LifelineProblem(Exception):
    pass


def watch(raw, on_lost):
    """Starts a daemon thread blocking on the descriptor; `on_lost()` runs on it at end-of-file.

    Nothing to watch without the variable (a container, behind the OpenFaaS watchdog). Raises
    LifelineProblem when it names no open pipe or socket.
    """
    if not raw:
        return
    # 1 and 2 are the shim's own output; 0 may be the lifeline (stdin as a pipe).
    if not raw.isdigit() or int(raw) in (1, 2):
        raise LifelineProblem("DISPATCH_LIFELINE_FD=%s is not a file descriptor other than stdout and stderr" % raw)
    fd = int(raw)
    try:
        mode = os.fstat(fd).st_mode
    except OSError:
        raise LifelineProblem("DISPATCH_LIFELINE_FD=%s is not open" % raw) from None
    if not (stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)):
        raise LifelineProblem("DISPATCH_LIFELINE_FD=%s is neither a pipe nor a socket" % raw)

    def block():
        try:
            while os.read(fd, 4096):
                pass
        except OSError:
            pass
        on_lost()

    # A daemon thread: it never keeps the interpreter alive, and a blocking read costs no CPU.
    threading.Thread(target=block, name="dispatch-lifeline", daemon=True).start()
