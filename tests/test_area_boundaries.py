"""Areas talk to each other through what they offer, never through views, forms or private names.

Each package under registry/ is an area. Another area may import its package, its `queries`,
`operations`, `models` and `forms` (the validators that forms, import and API share), and the
modules it declares shared below (SHARED); never a view, never a name that starts with an
underscore (issue 22). Something two areas both need moves to the area that owns it (and
into its queries or operations), or is declared shared by that area here.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "registry"
PUBLIC_MODULES = {"queries", "operations", "models", "forms"}
# Infrastructure every area may use whole: the pure rules and the core endpoints.
OPEN_AREAS = {"compliance", "core"}
SHARED = {
    "auth": {"access", "accounts", "landing", "notify", "sessions", "totp"},
    "attestations": {"explain", "preview", "validity"},
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


def _areas(root):
    return {path.name for path in root.iterdir() if (path / "__init__.py").exists()}


def _imported_modules(node, areas, root):
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
            folder = root / parts[1]
            is_module = (folder / f"{name}.py").exists() or (folder / name).is_dir()
            yield (parts[1], name, []) if is_module else (parts[1], None, [name])
    elif isinstance(node, ast.Import):
        for alias in node.names:
            parts = alias.name.split(".")
            if parts[0] == "registry" and len(parts) > 2 and parts[1] in areas:
                yield parts[1], ".".join(parts[2:]), []


def crossings(root=ROOT):
    """Return {(importing module, imported module)} of every import past an area's offer."""
    areas, found = _areas(root), set()
    for path in root.rglob("*.py"):
        parts = path.relative_to(root).with_suffix("").parts
        if len(parts) < 2:
            continue
        importer = ".".join(part for part in parts if part != "__init__")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            for area, module, names in _imported_modules(node, areas, root):
                if area == parts[0] or area in OPEN_AREAS:
                    continue
                offered = module is None or module.split(".")[0] in (
                    PUBLIC_MODULES | SHARED.get(area, set()))
                private = any(name.startswith("_") for name in names)
                if not offered or private:
                    found.add((importer, f"{area}.{module}" if module else area))
    return found


def test_no_area_reaches_into_another_past_what_it_offers():
    found = crossings()
    assert not found, (f"import through the other area's queries/operations or a module it "
                       f"declares in SHARED instead: {sorted(found)}")


def test_the_walk_finds_views_internals_and_private_names(tmp_path):
    for area in ("shop", "till"):
        (tmp_path / area).mkdir()
        (tmp_path / area / "__init__.py").write_text("")
    for module in ("views", "queries", "internals"):
        (tmp_path / "shop" / f"{module}.py").write_text("")
    (tmp_path / "till" / "views.py").write_text(
        "from registry.shop.views import show\n"
        "from registry.shop.queries import _rows, totals\n"
        "from registry.shop import internals, queries\n"
        "import registry.shop.internals\n"
        "from registry.shop.operations import pay\n"
        "from registry.till.internals import mine\n")
    assert crossings(tmp_path) == {("till.views", "shop.views"), ("till.views", "shop.queries"),
                                   ("till.views", "shop.internals")}
