"""The Python 3 runtime shim (DESIGN §7; the contract is FunctionEnvelope in libs/contracts/src/functions.ts).

Started as `python3 -u -B <this file>` (see ../src/index.ts; the standard library only) with:
- DISPATCH_CODE_DIR: the function's source tree, put first on sys.path.
- DISPATCH_HANDLER: `hello.handle`, `pkg/mod.handle`, `pkg.mod.handle`, or `hello.py` (function
  `handle`). The function is `def handle(context, payload):` (or `async def`) returning a
  JSON-serialisable value.
- DISPATCH_SOCKET: unix socket to listen on (a stale one is replaced, removed at exit), or else
  PORT: TCP port on 0.0.0.0 (in a container behind the OpenFaaS watchdog).
- DISPATCH_MEMORY_LIMIT_MB (optional): caps the address space (RLIMIT_AS) the function may add to
  the shim's own footprint; a call that hits it fails with "memory limit of N MB exceeded".
- DISPATCH_LIFELINE_FD (optional): a pipe or socket held open by the process that started the shim;
  at its end-of-file the shim exits at once with 4 (see lifeline.py).

It imports the handler once, then serves `GET /_/health` and `POST /`, each connection on its own
thread; what a call prints (print, sys.stdout/stderr, logging) goes to that call's reply. Exit
codes: 3 the handler cannot be loaded (one line `handler error: …` on stderr), 2 bad environment,
1 cannot listen, 0 after SIGTERM/SIGINT once calls in flight answered (at most 5 s; a second signal
ends it at once), 4 at once when the lifeline closes.
"""

import os
import resource
import signal
import stat
import sys
import threading

# Run as a script, Python put this file's directory first on sys.path, where the shim's modules
# would shadow the function's: the package is imported from its parent directory instead, which
# then leaves sys.path too, so the function sees only its own code and the installed packages.
sys.path[0] = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

from dispatch_runtime import capture, lifeline, loader  # noqa: E402
from dispatch_runtime.invoke import Invoker  # noqa: E402
from dispatch_runtime.server import create_server  # noqa: E402

del sys.path[0]

# SHIM_EXIT_HANDLER_ERROR of libs/contracts/src/functions.ts.
EXIT_HANDLER_ERROR = 3
# SHIM_EXIT_LIFELINE_LOST of libs/contracts/src/functions.ts.
EXIT_LIFELINE_LOST = 4
EXIT_BAD_ENVIRONMENT = 2
EXIT_CANNOT_LISTEN = 1
DRAIN_GRACE_SECONDS = 5.0
# Thread stacks count against RLIMIT_AS: at the default 8 MB, a few kept-alive connections would
# use up a small limit. 4 MB is well beyond what Python's recursion limit can reach.
LIMITED_THREAD_STACK_BYTES = 4 * 1024 * 1024
MB = 1024 * 1024


class EnvironmentProblem(Exception):
    pass


def main():
    try:
        # First of all: a function that hangs while importing must still die with the provider.
        lifeline.watch(os.environ.get("DISPATCH_LIFELINE_FD"), _lifeline_lost)
        socket_path, port = _listen_target(os.environ)
        code_dir = _required("DISPATCH_CODE_DIR")
        handler = _required("DISPATCH_HANDLER")
        memory_limit_mb = _apply_memory_limit(os.environ.get("DISPATCH_MEMORY_LIMIT_MB"))
    except (EnvironmentProblem, lifeline.LifelineProblem) as problem:
        _exit(EXIT_BAD_ENVIRONMENT, "dispatch shim: %s" % problem)
    # Before the user's module is imported, so loggers it sets up hold the routed streams.
    real_stderr = capture.install(sys)[1]
    try:
        function = loader.load(code_dir, handler)
    except loader.HandlerError as err:
        _exit(EXIT_HANDLER_ERROR, "handler error: %s" % err, real_stderr)
    invoke = Invoker(function, memory_limit_mb)
    try:
        if socket_path:
            _remove_socket(socket_path)
        server = create_server(invoke, socket_path=socket_path, port=port)
    except OSError as err:
        _exit(EXIT_CANNOT_LISTEN, "dispatch shim: cannot listen on %s: %s" % (socket_path or port, err), real_stderr)
    _serve(server, socket_path, real_stderr)


def _serve(server, socket_path, real_stderr):
    def stop(_signum, _frame):
        # As the Node.js shim: a second signal is not caught and ends the process at once.
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        server.drain.stopping = True
        # shutdown() waits for serve_forever() to return, so it cannot run on this (its) thread.
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        # Closes the listening socket only: connections with a call in flight keep their threads.
        server.server_close()
        if socket_path:
            _remove_socket(socket_path)
    left = server.drain.wait(DRAIN_GRACE_SECONDS)
    if left:
        real_stderr.write("dispatch shim: stopped with %d calls unanswered after %g s\n" % (left, DRAIN_GRACE_SECONDS))
    # os._exit: threads the function started must not keep the process alive.
    _exit(0, None, real_stderr)


def _lifeline_lost():
    _end_own_process_group()
    # os._exit from the watching thread: no drain, no cleanup that could hang; nobody reads answers now.
    os._exit(EXIT_LIFELINE_LOST)


def _end_own_process_group():
    # What the function started (a subprocess) is in the worker's process group, which the worker
    # leads: with the provider gone, it goes too. Each other member is killed (found in /proc), not
    # the group at once, so this process still exits with its own code.
    me = os.getpid()
    try:
        entries = os.listdir("/proc")
    except OSError:
        return
    for entry in entries:
        if not entry.isdigit() or int(entry) == me:
            continue
        try:
            with open("/proc/%s/stat" % entry, "rb") as f:
                stat_line = f.read().decode("latin-1")
            # After the command name: state, ppid, pgrp.
            if int(stat_line[stat_line.rindex(")") + 2:].split(" ")[2]) == me:
                os.kill(int(entry), signal.SIGKILL)
        except (OSError, ValueError):
            pass


def _listen_target(env):
    if env.get("DISPATCH_SOCKET"):
        return env["DISPATCH_SOCKET"], None
    raw = env.get("PORT")
    if not raw:
        raise EnvironmentProblem("set DISPATCH_SOCKET (a unix socket path) or PORT")
    if not raw.isdigit() or not 0 < int(raw) < 65536:
        raise EnvironmentProblem("PORT=%s is not a TCP port" % raw)
    return None, int(raw)


def _required(name):
    value = os.environ.get(name)
    if not value:
        raise EnvironmentProblem("%s is not set" % name)
    return value


def _apply_memory_limit(raw):
    """Caps the address space at its size now plus the limit; returns the limit in MB, or None."""
    if not raw:
        return None
    if not raw.isdigit() or int(raw) < 1:
        raise EnvironmentProblem("DISPATCH_MEMORY_LIMIT_MB=%s is not a positive number of MB" % raw)
    limit_mb = int(raw)
    threading.stack_size(LIMITED_THREAD_STACK_BYTES)
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = _address_space_bytes() + limit_mb * MB
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    return limit_mb


def _address_space_bytes():
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        # No procfs: the limit then counts the interpreter too.
        return 0


def _remove_socket(path):
    try:
        # Only a socket: never delete a file that happens to have the name.
        if stat.S_ISSOCK(os.lstat(path).st_mode):
            os.unlink(path)
    except FileNotFoundError:
        pass


def _exit(code, line, stream=None):
    stream = stream or sys.stderr
    if line is not None:
        stream.write(" ".join(line.split("\n")) + "\n")
    try:
        sys.stdout.flush()
        stream.flush()
    finally:
        os._exit(code)


if __name__ == "__main__":
    main()
