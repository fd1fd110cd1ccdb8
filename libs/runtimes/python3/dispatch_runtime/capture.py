"""Per-call capture of stdout/stderr, attributed by thread (each call runs on its own thread)."""

import threading

# RUN_LOG_MAX_LINES and RUN_LOG_MAX_LINE_LENGTH of libs/contracts/src/functions.ts: the shim runs
# inside function images without the TypeScript workspace. The integration tests hold them in step.
MAX_LINES = 1000
MAX_LINE_LENGTH = 4096


def dropped_lines_notice(dropped):
    """The last kept line when a stream wrote too many (the same text as the Node.js shim's)."""
    return "[%d more lines dropped: a run keeps at most %d lines per stream]" % (dropped, MAX_LINES)


class LineBuffer:
    """One stream of one call as bounded lines: past the limits, output is only counted."""

    __slots__ = ("_lines", "_partial", "_dropped")

    def __init__(self):
        self._lines = []
        self._partial = ""
        self._dropped = 0

    def write(self, text):
        pieces = text.split("\n")
        self._append(pieces[0])
        for piece in pieces[1:]:
            self._end_line()
            self._append(piece)

    def finish(self):
        """The call's lines, the unterminated last one included."""
        if self._partial:
            self._end_line()
        if self._dropped:
            # The notice replaces the last line so the total stays within MAX_LINES.
            self._lines[-1] = dropped_lines_notice(self._dropped + 1)
        return self._lines

    def _append(self, piece):
        room = MAX_LINE_LENGTH - len(self._partial)
        if piece and room > 0:
            self._partial += piece[:room]

    def _end_line(self):
        if len(self._lines) < MAX_LINES:
            line = self._partial
            self._lines.append(line[:-1] if line.endswith("\r") else line)
        else:
            self._dropped += 1
        self._partial = ""


class _CurrentCall(threading.local):
    stdout = None
    stderr = None


_current = _CurrentCall()


class CallLogs:
    """What one call writes; `with logs:` routes the current thread's output into it."""

    __slots__ = ("stdout", "stderr")

    def __init__(self):
        self.stdout = LineBuffer()
        self.stderr = LineBuffer()

    def __enter__(self):
        _current.stdout = self.stdout
        _current.stderr = self.stderr
        return self

    def __exit__(self, *_exc):
        _current.stdout = None
        _current.stderr = None
        return False


class StreamRouter:
    """Stands in for sys.stdout/sys.stderr: a call's thread writes to its buffer, others to the real stream.

    Installed before the user's module is imported, so loggers that keep a reference to
    sys.stderr (logging.basicConfig, StreamHandler) are routed too. Bytes written past the text
    layer (sys.stdout.buffer, os.write, subprocesses, C extensions) are not seen, nor output of
    threads the function starts: a thread belongs to a call only while the call runs on it.
    """

    def __init__(self, real, name):
        self._real = real
        self._name = name

    def write(self, text):
        buffer = getattr(_current, self._name)
        if buffer is None:
            return self._real.write(text)
        if not isinstance(text, str):
            raise TypeError("write() argument must be str, not %s" % type(text).__name__)
        buffer.write(text)
        return len(text)

    def writelines(self, lines):
        for line in lines:
            self.write(line)

    def flush(self):
        if getattr(_current, self._name) is None:
            self._real.flush()

    def __getattr__(self, name):
        # encoding, fileno, isatty, buffer…: whatever else code asks of a stream.
        return getattr(self._real, name)


def install(sys_module):
    """Routes sys.stdout and sys.stderr through StreamRouters; returns the real streams."""
    real_out, real_err = sys_module.stdout, sys_module.stderr
    sys_module.stdout = StreamRouter(real_out, "stdout")
    sys_module.stderr = StreamRouter(real_err, "stderr")
    return real_out, real_err
