"""Runs one call with its output captured and answers the FunctionReply as JSON bytes."""

import json
import os
import traceback
from collections.abc import Coroutine

from .capture import CallLogs

_SHIM_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep
_encode = json.JSONEncoder(allow_nan=False, separators=(",", ":")).encode


class Invoker:
    def __init__(self, function, memory_limit_mb=None):
        self._function = function
        self._memory_limit_mb = memory_limit_mb

    def __call__(self, envelope):
        logs = CallLogs()
        payload = "null"
        error = None
        try:
            with logs:
                result = self._function(envelope["context"], envelope["payload"])
                if isinstance(result, Coroutine):
                    result = _run_coroutine(result)
        except MemoryError:
            error = self._memory_error()
        except BaseException as err:  # noqa: BLE001 - sys.exit() in a function fails that call, not the shim
            error = function_error(err)
        else:
            try:
                payload = _encode(result)
            except MemoryError:
                error = self._memory_error()
            except (TypeError, ValueError, RecursionError) as err:
                error = {
                    "type": "FunctionError",
                    "message": "the function's return value is not JSON-serialisable: %s" % err,
                    "stacktrace": [],
                }
        # Built by hand so the payload, already JSON, is not serialised a second time.
        body = '{"context":{"logs":{"stdout":%s,"stderr":%s},"error":%s},"payload":%s}' % (
            _encode(logs.stdout.finish()),
            _encode(logs.stderr.finish()),
            "null" if error is None else _encode(error),
            payload,
        )
        return body.encode("utf-8")

    def _memory_error(self):
        if self._memory_limit_mb is None:
            return {"type": "FunctionError", "message": "out of memory", "stacktrace": []}
        return {
            "type": "FunctionError",
            "message": "memory limit of %d MB exceeded" % self._memory_limit_mb,
            "stacktrace": [],
        }


def _run_coroutine(coroutine):
    """An `async def` function's result: the call's thread runs an event loop of its own."""
    # Imported on first use: asyncio would add tens of milliseconds to every shim's start.
    import asyncio

    return asyncio.run(coroutine)


def function_error(err):
    """The error's message and its traceback without the shim's own frames."""
    described = traceback.TracebackException.from_exception(err)
    described.stack = traceback.StackSummary.from_list(
        [frame for frame in described.stack if not frame.filename.startswith(_SHIM_DIR)]
    )
    if isinstance(err, SystemExit):
        message = "the function called sys.exit(%r)" % (err.code,)
    else:
        message = str(err) or type(err).__name__
    return {"type": "FunctionError", "message": message, "stacktrace": "".join(described.format()).splitlines()}
