"""Finds and imports the user's handler: `hello.handle`, `pkg/mod.handle`, `pkg.mod.handle`, `hello.py`."""

import importlib
import os
import sys

DEFAULT_FUNCTION = "handle"


class HandlerError(Exception):
    """The handler cannot be loaded; the message says what is wrong and what to fix."""


def parse_ref(ref):
    """(module name, function name) of a handler reference."""
    text = ref.strip()
    if text.startswith("./"):
        text = text[2:]
    if text.endswith(".py"):
        module, function = text[:-3], DEFAULT_FUNCTION
    elif "." in os.path.basename(text):
        module, function = text.rsplit(".", 1)
    else:
        module, function = text, DEFAULT_FUNCTION
    module = module.replace("/", ".")
    if not module or not all(part.isidentifier() for part in module.split(".")) or not function.isidentifier():
        raise HandlerError(
            "handler %r is not <module>.<function>; write it as hello.handle, pkg/mod.handle or hello.py" % ref
        )
    return module, function


def load(code_dir, ref):
    """Imports the handler's module from code_dir (put first on sys.path) and returns its function."""
    module_name, function_name = parse_ref(ref)
    root = os.path.abspath(code_dir)
    if not os.path.isdir(root):
        raise HandlerError("the function's code directory %s does not exist" % root)
    relative = module_name.replace(".", os.sep)
    if not (os.path.isfile(os.path.join(root, relative + ".py")) or os.path.isdir(os.path.join(root, relative))):
        raise HandlerError(
            "%s.py not found in the function's code; set the handler to <module>.<function> of one of its files, e.g. hello.handle"
            % relative
        )
    sys.path.insert(0, root)
    module = _import(module_name, root)
    where = os.path.abspath(getattr(module, "__file__", None) or root)
    if not where.startswith(root + os.sep):
        # A name the shim itself imported first (json, http, socket…) resolves to that module.
        raise HandlerError(
            "module %s resolves to %s, not to the function's code; rename %s.py" % (module_name, where, relative)
        )
    function = getattr(module, function_name, None)
    if function is None:
        raise HandlerError(
            "%s has no function %s; define def %s(context, payload): in %s.py or name another function in the handler"
            % (module_name, function_name, function_name, relative)
        )
    if not callable(function):
        raise HandlerError(
            "%s.%s is a %s, not a function; define def %s(context, payload):"
            % (module_name, function_name, type(function).__name__, function_name)
        )
    return function


def _import(module_name, root):
    try:
        return importlib.import_module(module_name)
    except SyntaxError as err:
        where = os.path.relpath(err.filename, root) if err.filename else module_name
        raise HandlerError("syntax error in %s line %s: %s; fix the function's code" % (where, err.lineno, err.msg)) from None
    except ImportError as err:
        raise HandlerError("importing %s failed: %s; add what it imports to the function's code or image" % (module_name, err)) from None
    except BaseException as err:  # noqa: BLE001 - whatever the module's top level raises, exit included
        raise HandlerError(
            "importing %s raised %s: %s; fix the module's top-level code" % (module_name, type(err).__name__, err)
        ) from None
