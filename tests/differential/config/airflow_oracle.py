"""Airflow's configuration lookup, reproduced on top of CPython's own configparser (the oracle).

The parsing, interpolation and $VAR/~ expansion are Python's; the lookup order follows Airflow's
AirflowConfigParser.get. Option tables come from airguard's data/airflow files so both sides
agree on which options exist.
"""
import configparser
import os
import posixpath
import re

LABELS = ["2.7.3", "2.8.4", "2.9.3", "2.10.5", "2.11.0", "2.11.1", "3.0.0", "3.1.0", "3.2.0"]


def vtuple(text):
    nums = [int(x) for x in re.findall(r"\d+", text)[:3]]
    return tuple(nums + [0] * (3 - len(nums)))


def unescape(field):
    out, i = [], 0
    while i < len(field):
        c = field[i]
        if c == "\\" and i + 1 < len(field):
            n = field[i + 1]
            out.append({"t": "\t", "n": "\n", "r": "\r"}.get(n, n))
            i += 2
            continue
        out.append(c)
        i += 1
    return "".join(out)


def rows(path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line and not line.startswith("#"):
                yield line.split("\t")


class Catalog:
    def __init__(self, source_dir, version):
        label = LABELS[-1]
        if version:
            label = LABELS[0]
            for candidate in LABELS:
                if vtuple(candidate) <= vtuple(version):
                    label = candidate
        self.label = label
        data = os.path.join(source_dir, "data", "airflow")
        self.options = {}
        for f in rows(os.path.join(data, "options", label + ".tsv")):
            self.options[(f[0], f[1])] = {
                "type": f[2], "default": None if f[3] == "\\N" else unescape(f[3]),
                "sensitive": "s" in f[4], "template": "t" in f[4]}
        self.renames = []
        for f in rows(os.path.join(data, "renames", label + ".tsv")):
            if not version or vtuple(f[4]) <= vtuple(version):
                self.renames.append(tuple(f[:4]))
        added = {}
        for new_s, new_k, old_s, old_k in self.renames:
            old = self.options.get((old_s, old_k))
            if old is None:
                continue
            if (new_s, new_k) not in self.options:
                added[(new_s, new_k)] = dict(old)
            del self.options[(old_s, old_k)]
        self.options.update(added)

    def old_name(self, section, key):
        for new_s, new_k, old_s, old_k in self.renames:
            if (new_s, new_k) == (section, key):
                return (old_s, old_k)
        return None


def expand_env_var(value, env):
    if not value:
        return value
    saved = os.environ
    os.environ = dict(env)  # posixpath reads os.environ at call time
    try:
        for _ in range(64):  # Airflow loops forever on a self-growing value; airguard stops after 64 rounds
            expanded = posixpath.expandvars(str(value))
            if expanded.startswith("~") and (len(expanded) == 1 or expanded[1] == "/") and "HOME" not in env:
                pass  # the target host's password database is unknown: airguard keeps ~ as written
            elif expanded.startswith("~") and not (len(expanded) == 1 or expanded[1] == "/"):
                pass  # ~user: same reason
            else:
                expanded = posixpath.expanduser(expanded)
            if expanded == value:
                return expanded
            value = expanded
        return value
    finally:
        os.environ = saved


def env_name(section, key):
    return "AIRFLOW__" + section.replace(".", "_").upper() + "__" + key.upper()


class ReadError(Exception):
    def __init__(self, line, what):
        super().__init__(what)
        self.line = line
        self.what = what


def universal_line_of(data, offset):
    return len(re.findall(rb"\r\n|\r|\n", data[:offset])) + 1


def read_cfg(path):
    """The parser Airflow builds (ConfigParser with a case-keeping optionxform), or ReadError."""
    parser = configparser.ConfigParser()
    parser.optionxform = str
    try:
        parser.read(path, encoding="utf-8")
    except UnicodeDecodeError:
        data = open(path, "rb").read()
        try:
            data.decode("utf-8")
            raise ReadError(0, "UnicodeDecodeError")
        except UnicodeDecodeError as e:
            raise ReadError(universal_line_of(data, e.start), "UnicodeDecodeError")
    except (configparser.DuplicateSectionError, configparser.DuplicateOptionError,
            configparser.MissingSectionHeaderError) as e:
        raise ReadError(e.lineno, type(e).__name__)
    except configparser.ParsingError as e:
        raise ReadError(e.errors[0][0], "ParsingError")
    return parser


def resolve(catalog, parser, env):
    """{(section, key): (source, value or None, error flag)} for every option of the catalog."""
    def lookup(section, key, spec, backend):
        names = [(section, key)]
        old = catalog.old_name(section, key)
        if old:
            names.append(old)
        sensitive = spec["sensitive"]
        for s, k in names:
            var = env_name(s, k)
            if var in env:
                return ("env", expand_env_var(env[var], env), False)
            if sensitive and var + "_CMD" in env:
                return ("env_cmd", None, False)
            if sensitive and var + "_SECRET" in env and backend:
                return ("env_secret", None, False)
        for s, k in names:
            if parser is not None and parser.has_option(s, k):
                try:
                    return ("file", expand_env_var(parser.get(s, k), env), False)
                except configparser.InterpolationError:
                    return ("file", None, True)
        if sensitive:
            for s, k in names:
                if parser is not None and parser.has_option(s, k + "_cmd"):
                    return ("file_cmd", None, False)
            for s, k in names:
                if backend and parser is not None and parser.has_option(s, k + "_secret"):
                    return ("file_secret", None, False)
        default = spec["default"]
        if default is None:
            return ("default", None, False)
        if not spec["template"]:
            if "{SECRET_KEY}" in default:
                return ("default", None, False)
            home = expand_env_var(env.get("AIRFLOW_HOME", "~/airflow"), env)
            config = expand_env_var(env["AIRFLOW_CONFIG"], env) if "AIRFLOW_CONFIG" in env else home + "/airflow.cfg"
            default = (default.replace("{AIRFLOW_HOME}", home).replace("{AIRFLOW_CONFIG}", config)
                       .replace("{FERNET_KEY}", "").replace("{JWT_SECRET_KEY}", ""))
        defaults = configparser.ConfigParser()
        defaults.optionxform = str
        defaults.add_section(section)
        try:
            defaults.set(section, key, default)
            return ("default", expand_env_var(defaults.get(section, key), env), False)
        except (configparser.InterpolationError, ValueError):
            return ("default", default, False)

    backend = False
    if ("secrets", "backend") in catalog.options:
        _, value, _ = lookup("secrets", "backend", catalog.options[("secrets", "backend")], False)
        backend = bool(value)
    return {(s, k): lookup(s, k, spec, backend) for (s, k), spec in catalog.options.items()}
