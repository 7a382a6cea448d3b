"""Configuration is one documented table (issue 18): every `KYSO_*` name Kyso reads is in `kyso/config.py` with the
default the code uses, every name in the table is read somewhere, and the README's section is that table."""

import ast
import re
import subprocess
import sys
from pathlib import Path

from django.conf import settings

from kyso import config

ROOT = Path(__file__).resolve().parents[4]
SRC = ROOT / "src" / "kyso"
# Where a name is read with a literal default that is not the table's, on purpose.
OWN_DEFAULTS = {
    ("core/cluster.py", "KYSO_JOBS_STALE_SECONDS"),   # the local cluster's nodes take over a dead one's jobs sooner
}


def _sources():
    """(relative path, text) of every Python file of Kyso outside its tests, and of the benchmarks."""
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC).as_posix()
        if "/tests/" not in f"/{rel}" and "/migrations/" not in f"/{rel}" and rel != "config.py":
            yield rel, path.read_text(encoding="utf-8")
    for path in sorted((ROOT / "bench").glob("*.py")):
        yield f"../../bench/{path.name}", path.read_text(encoding="utf-8")


def _reads():
    """(file, name, literal default or None) for each environment or settings read of a KYSO_* name."""
    for rel, text in _sources():
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant) \
                    and isinstance(node.args[0].value, str) and node.args[0].value.startswith("KYSO_"):
                func = ast.unparse(node.func)
                if func not in ("os.environ.get", "environ.get") and not func.startswith("config."):
                    continue
                default = node.args[1] if len(node.args) > 1 else None
                yield rel, node.args[0].value, default.value if isinstance(default, ast.Constant) else None
            elif isinstance(node, ast.Call) and ast.unparse(node.func) == "getattr" and len(node.args) >= 2 \
                    and ast.unparse(node.args[0]) == "settings" and isinstance(node.args[1], ast.Constant) \
                    and str(node.args[1].value).startswith("KYSO_"):
                default = node.args[2] if len(node.args) > 2 else None
                if hasattr(settings, node.args[1].value):   # defined by the settings: the fallback is never used
                    default = None
                yield rel, node.args[1].value, default.value if isinstance(default, ast.Constant) else None
            elif isinstance(node, ast.Subscript) and ast.unparse(node.value) in ("os.environ", "environ") \
                    and isinstance(node.slice, ast.Constant) and str(node.slice.value).startswith("KYSO_"):
                yield rel, node.slice.value, None
            elif isinstance(node, ast.Attribute) and ast.unparse(node.value) == "settings" \
                    and node.attr.startswith("KYSO_"):
                yield rel, node.attr, None


def test_every_name_read_is_in_the_table_with_the_same_default():
    missing, different = set(), set()
    for rel, name, default in _reads():
        setting = config.BY_NAME.get(name)
        if setting is None:
            if name not in config.DERIVED:
                missing.add(f"{rel}: {name}")
            continue
        if default is not None and setting.default is not None and (rel, name) not in OWN_DEFAULTS \
                and str(default) != setting.default:
            different.add(f"{rel}: {name} defaults to {default!r}, the table to {setting.default!r}")
    assert not missing, f"read but not in kyso/config.py: {sorted(missing)}"
    assert not different, sorted(different)


def test_every_name_in_the_table_is_read_somewhere():
    texts = [t for _r, t in _sources()] + [(ROOT / "Makefile").read_text(encoding="utf-8"),
                                          (ROOT / "src/kyso/secretconf.py").read_text(encoding="utf-8")]
    texts += [p.read_text(encoding="utf-8") for p in SRC.glob("*/tests/*.py")]   # test and fuzzing switches
    unread = []
    for setting in config.TABLE:
        name = setting.name
        pattern = re.compile(rf"\b{re.escape(name)}\b")
        if name.endswith("_FILE"):      # secretconf reads f"{spec.env}_FILE" for each secret it declares
            pattern = re.compile(rf"\b{re.escape(name[:-len('_FILE')])}\b")
        if not any(pattern.search(t) for t in texts):
            unread.append(name)
    assert not unread, f"in the table but read nowhere (remove them): {unread}"


def test_settings_take_their_defaults_from_the_table():
    settings_py = (SRC / "settings.py").read_text(encoding="utf-8")
    assert "os.environ.get(" not in settings_py, "settings.py reads the environment through kyso.config"
    assert config.text("KYSO_MSSP_URL", environ={}) == "local"
    assert config.integer("KYSO_IMPORT_MAX_ROWS", environ={"KYSO_IMPORT_MAX_ROWS": "7"}) == 7
    assert config.flag("KYSO_SECURE_COOKIES", True, environ={}) is True
    assert config.flag("KYSO_SECURE_COOKIES", True, environ={"KYSO_SECURE_COOKIES": "0"}) is False
    assert config.items("KYSO_ALLOWED_HOSTS", environ={"KYSO_ALLOWED_HOSTS": " a, ,b "}) == ["a", "b"]


def test_the_readme_section_is_the_table():
    out = subprocess.run([sys.executable, str(ROOT / "tools" / "config_table.py"), "--check"],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert config.render() in readme
