"""Areas talk to each other through what they offer, never through views, forms or private names.

Each package under registry/ is an area. Another area may import its package, its `queries`,
`operations`, `models` and `forms` (the validators that forms, import and API share), and the
modules it declares shared below (SHARED); never a view, never a name that starts with an
underscore. The crossings that existed when this test was written are listed in
KNOWN_CROSSINGS, to be removed (issue 22): the test fails on a new crossing, and on a listed one
that no longer exists, so the list only shrinks.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "registry"
PUBLIC_MODULES = {"queries", "operations", "models", "forms"}
# Infrastructure every area may use whole: the pure rules and the core endpoints.
OPEN_AREAS = {"compliance", "core"}
SHARED = {
    "auth": {"access", "accounts", "landing", "notify", "sessions", "totp"},
    "attestations": {"preview", "validity"},
    "audit_trail": {"changes", "security_log"},
    "controller_pages": {"links"},
    "engagements": {"delivery", "notices", "readiness"},
    "incidents": {"delivery"},
    "interchange": {"importer"},
    "mail": {"compose", "outbox"},
    "portal": {"access", "invitations"},
    "reports": {"data", "limits", "render", "snapshot"},
    "requests": {"delivery"},
    "settings": {"store"},
    "subcontractors": {"countries", "history"},
}
KNOWN_CROSSINGS = {
    ("attestations.preview", "portal.explain"),
    ("dashboard.views", "alerts.views"),
    ("requests.delivery", "incidents.notices"),
    ("sso.views", "auth.views"),
    ("subcontractors.evidence_views", "portal.explain"),
}


def _areas():
    return {path.name for path in ROOT.iterdir() if (path / "__init__.py").exists()}


def _imported_modules(node, areas):
    """Yield (area, module or None, names) for each `registry.<area>...` import in `node`."""
    if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
        parts = node.module.split(".")
        if parts[0] != "registry" or len(parts) < 2 or parts[1] not in areas:
            return
        names = [alias.name for alias in node.names]
        if len(parts) > 2:
            yield parts[1], ".".join(parts[2:]), names
            return
        for name in names:  # `from registry.area import module_or_name`
            folder = ROOT / parts[1]
            is_module = (folder / f"{name}.py").exists() or (folder / name).is_dir()
            yield (parts[1], name, []) if is_module else (parts[1], None, [name])
    elif isinstance(node, ast.Import):
        for alias in node.names:
            parts = alias.name.split(".")
            if parts[0] == "registry" and len(parts) > 2 and parts[1] in areas:
                yield parts[1], ".".join(parts[2:]), []


def crossings():
    """Return {(importing module, imported module)} of every import past an area's offer."""
    areas, found = _areas(), set()
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        if len(parts) < 2:
            continue
        importer = ".".join(part for part in parts if part != "__init__")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            for area, module, names in _imported_modules(node, areas):
                if area == parts[0] or area in OPEN_AREAS:
                    continue
                offered = module is None or module.split(".")[0] in (
                    PUBLIC_MODULES | SHARED.get(area, set()))
                private = any(name.startswith("_") for name in names)
                if not offered or private:
                    found.add((importer, f"{area}.{module}" if module else area))
    return found


def test_no_area_reaches_into_another_past_what_it_offers():
    new = crossings() - KNOWN_CROSSINGS
    assert not new, (f"import through the other area's queries/operations or a module it "
                     f"declares in SHARED instead: {sorted(new)}")


def test_the_list_of_known_crossings_only_shrinks():
    gone = KNOWN_CROSSINGS - crossings()
    assert not gone, f"remove these from KNOWN_CROSSINGS, they are gone: {sorted(gone)}"


def test_a_crossing_is_found(tmp_path, monkeypatch):
    """The walk itself works: a view imported across areas is caught."""
    tree = ast.parse("from registry.controllers.views import show_controller")
    found = list(_imported_modules(tree.body[0], _areas()))
    assert found == [("controllers", "views", ["show_controller"])]
