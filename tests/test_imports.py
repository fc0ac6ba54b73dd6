"""Every module of the package imports on its own, whatever was imported before it.

An import cycle only breaks when one of its modules is the first to load (a test file, a CLI
command or a worker importing it directly), which the app factory's fixed order hides.
"""

import importlib
import pkgutil
import sys

import registry


def _registry_modules():
    return sorted(info.name for info in pkgutil.walk_packages(registry.__path__, "registry."))


def _is_registry(name):
    return name == "registry" or name.startswith("registry.")


def _forget_registry():
    for name in [name for name in sys.modules if _is_registry(name)]:
        del sys.modules[name]


def test_every_module_imports_first():
    saved = {name: module for name, module in sys.modules.items() if _is_registry(name)}
    failures = {}
    try:
        for name in _registry_modules():
            _forget_registry()
            try:
                importlib.import_module(name)
            except Exception as error:  # noqa: BLE001 - every failure is reported below
                failures[name] = f"{type(error).__name__}: {error}"
    finally:
        _forget_registry()
        sys.modules.update(saved)
    assert failures == {}
