#!/usr/bin/env python3
"""Build glance-lint's embedded option catalogue (src/schema/catalogue.json).

The catalogue holds every release from 2022.2 Zed (glance 25.1.0) to the
newest: each form of an option is stored once, with `releases`, the bit mask
of the releases that have it in that form (bit i: RELEASES[i]). It is
generated, never hand-edited, in two steps.

1. dump: one release from PyPI (network to PyPI; 75-150 s on 2 cores)::

    python3 tools/gen-catalogue.py dump --glance-version 28.2.0 \
        --python "$(pyenv prefix 3.11.7)/bin/python" \
        --constraints ../shared/releases/upper-constraints/uc-2024.1.txt \
        --output-dir DIR

   creates a throw-away venv with that Python, installs ``glance==X
   python-cinderclient os-brick python-swiftclient boto3`` under the release's
   upper-constraints (without python-cinderclient the cinder store options
   silently vanish), walks the 16 namespaces of glance's glance-api generator
   config with ``oslo_config.generator._list_opts`` (keeping opt class, regex
   and list item types, which ``oslo-config-generator --format json`` drops)
   and writes DIR/glance-X.options.json (the format of
   ../shared/releases/options/, which holds these for the nine releases),
   DIR/glance-X.import-options.json (the ``glance`` namespace:
   glance-image-import.conf's groups, which glance-api reads too; kept in
   tools/releases/) and DIR/glance-X.freeze.txt.

2. build: every release's dumps -> the catalogue::

    python3 tools/gen-catalogue.py build --dumps ../shared/releases/options \
        --import-dumps tools/releases --output src/schema/catalogue.json

   tests/releases.rs runs this and requires the embedded file to equal it.

Options of hand-maintained tables (store_description/weight, keystoneauth
plugin options, removed options) live in src/schema/gaps.rs and
src/schema/removed.rs: review them when adding a release (and add the
release to RELEASES below).

The output holds FACTS ONLY (names, types, bounds, defaults, secret flags,
deprecations and a short deprecation-reason category); Glance's help texts are
deliberately left out.  Conversion uses the standard library only.
"""

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile

NAMESPACES = [
    "castellan.config",
    "glance.api",
    "glance.store",
    "os_brick",
    "glance.multi_store",
    "oslo.concurrency",
    "oslo.messaging",
    "oslo.db",
    "oslo.policy",
    "keystonemiddleware.auth_token",
    "oslo.limit",
    "oslo.log",
    "oslo.middleware.cors",
    "oslo.middleware.healthcheck",
    "oslo.middleware.http_proxy_to_wsgi",
    "oslo.reports",
]

# opt_class / type_class -> catalogue kind.  type_class wins when known, since
# a plain ``Opt(type=...)`` carries its real type there.  keystoneauth's
# ``Opt`` objects (type=str) show up as type_class "type": a plain string.
TYPE_KIND = {
    "String": "string",
    "type": "string",
    "Integer": "integer",
    "Float": "float",
    "Boolean": "boolean",
    "List": "list",
    "Dict": "dict",
    "Port": "port",
    "HostAddress": "host_address",
    "Hostname": "hostname",
    "IPAddress": "ip_address",
    "URI": "uri",
    "MultiString": "multi_string",
    "Range": "range",
}
OPT_KIND = {
    "StrOpt": "string",
    "Opt": "string",
    "IntOpt": "integer",
    "FloatOpt": "float",
    "BoolOpt": "boolean",
    "ListOpt": "list",
    "DictOpt": "dict",
    "PortOpt": "port",
    "HostAddressOpt": "host_address",
    "HostnameOpt": "hostname",
    "IPOpt": "ip_address",
    "URIOpt": "uri",
    "MultiStrOpt": "multi_string",
    "MultiOpt": "multi_string",
}

# Template groups of the glance.multi_store namespace -> store type (the
# glance_store.drivers entry point name an operator writes in enabled_backends).
# Long entry-point module names that differ from the short type:
MODULE_TO_TYPE = {"vmware_datastore": "vmware", "filesystem": "file"}
SHORT_TEMPLATE_GROUPS = {"file", "cinder"}


def template_store_type(group):
    """Return the store type of a glance.multi_store template group, or None."""
    if group in SHORT_TEMPLATE_GROUPS:
        return group
    parts = group.split(".")
    if len(parts) == 4 and parts[0] == "glance" and parts[1] == "store" and parts[3].lower() == "store":
        return MODULE_TO_TYPE.get(parts[2], parts[2])
    return None


def reason_category(text):
    """Map a deprecation reason to a short category (we never copy the text)."""
    if not text or not text.strip():
        return None
    t = " ".join(text.lower().split())
    rules = [
        ("security risk", "security"),
        ("back-end configuration file", "moved_to_swift_reference_file"),
        ("enabled_backends", "superseded_by_multistore"),
        ("default_backend", "superseded_by_multistore"),
        ("multiple filesystem stores", "superseded_by_multistore"),
        ("no effect", "no_effect"),
        ("no longer required", "no_effect"),
        ("no longer deactivable", "no_effect"),
        ("always enabled", "no_effect"),
        ("doesnt serves", "ineffective"),
        ("doesn't serve", "ineffective"),
        ("centralized database", "superseded"),
        ("in favor", "replaced"),
        ("instead", "replaced"),
        ("replaced", "replaced"),
    ]
    for needle, cat in rules:
        if needle in t:
            return cat
    return "other"


def fmt_scalar(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def fmt_default(v):
    """oslo.config-like string form of a default (None stays None)."""
    if v is None:
        return None
    if isinstance(v, bool):
        return fmt_scalar(v)
    if isinstance(v, (list, tuple)):
        return ",".join(fmt_scalar(x) for x in v)
    if isinstance(v, dict):
        return ",".join("%s:%s" % (k, fmt_scalar(v[k])) for k in sorted(v))
    return str(v)


def kind_of(opt_class, type_info):
    tc = (type_info or {}).get("type_class")
    if tc in TYPE_KIND:
        kind = TYPE_KIND[tc]
    elif opt_class in OPT_KIND:
        kind = OPT_KIND[opt_class]
    else:
        print("warning: unknown option class %s/%s -> 'unknown'" % (opt_class, tc), file=sys.stderr)
        return "unknown"
    if opt_class == "MultiOpt" and tc not in ("MultiString", "String"):
        print("warning: MultiOpt of %s mapped to multi_string" % tc, file=sys.stderr)
        kind = "multi_string"
    return kind


def put(out, key, value):
    """Store only informative values, to keep the file small."""
    if value is None or value is False or value == [] or value == "":
        return
    out[key] = value


def convert_type(t, out, prefix=""):
    put(out, prefix + "choices", [fmt_scalar(c) for c in (t.get("choices") or [])])
    if t.get("min") is not None:
        out[prefix + "min"] = t["min"]
    if t.get("max") is not None:
        out[prefix + "max"] = t["max"]
    put(out, prefix + "regex", t.get("regex"))
    if t.get("max_length"):
        out[prefix + "max_length"] = t["max_length"]
    put(out, prefix + "ignore_case", bool(t.get("ignore_case")))
    put(out, prefix + "quotes", bool(t.get("quotes")))
    put(out, prefix + "schemes", list(t.get("schemes") or []))


def convert_opt(o, group):
    out = {"name": o["name"]}
    if o.get("dest") and o["dest"] != o["name"]:
        out["dest"] = o["dest"]
    t = o.get("type") or {}
    out["kind"] = kind_of(o.get("opt_class"), t)
    convert_type(t, out)
    put(out, "bounds", bool(t.get("bounds")))
    sub = t.get("item_type") or t.get("value_type")
    if sub:
        item = {"kind": kind_of(None, sub)}
        convert_type(sub, item)
        if item != {"kind": "string"}:
            out["item"] = item
    d = fmt_default(o.get("default"))
    if d is not None:
        out["default"] = d
    put(out, "secret", bool(o.get("secret")))
    dep = []
    for x in o.get("deprecated_opts") or []:
        dep.append([x.get("group") or group, x.get("name") or o.get("dest") or o["name"]])
    put(out, "deprecated", dep)
    put(out, "for_removal", bool(o.get("deprecated_for_removal")))
    put(out, "since", o.get("deprecated_since"))
    put(out, "reason", reason_category(o.get("deprecated_reason")))
    return out


def convert(data, source):
    groups = {}
    store_types = {}
    kinds = {}
    for group, opts in data["groups"].items():
        st = template_store_type(group)
        conv = [convert_opt(o, group) for o in opts]
        for o in opts:
            key = "%s/%s" % (o.get("opt_class"), (o.get("type") or {}).get("type_class"))
            kinds[key] = kinds.get(key, 0) + 1
        if st is not None:
            store_types[st] = conv
        else:
            groups[group] = conv
    if os.environ.get("GEN_CATALOGUE_VERBOSE"):
        for k in sorted(kinds):
            oc, tc = k.split("/")
            print("  %-28s %4d -> %s" % (k, kinds[k], kind_of(oc, {"type_class": tc})), file=sys.stderr)
    return {
        "groups": groups,
        "store_types": store_types,
    }


# --- PyPI path: dump options with oslo.config's generator internals ---------

DUMP_SCRIPT = r'''
import json, sys
from oslo_config import generator, cfg, types

NAMESPACES = json.loads(sys.argv[1])

def type_info(t):
    if t is None:
        return {"type_class": "type"}
    if isinstance(t, type):
        return {"type_class": "type"}
    d = {"type_class": type(t).__name__}
    for attr in ("min", "max", "max_length", "ignore_case", "quotes", "bounds", "schemes"):
        if hasattr(t, attr):
            v = getattr(t, attr)
            d[attr] = list(v) if isinstance(v, (set, tuple)) else v
    if getattr(t, "regex", None) is not None:
        d["regex"] = getattr(t.regex, "pattern", t.regex)
    elif hasattr(t, "regex"):
        d["regex"] = None
    if getattr(t, "choices", None):
        d["choices"] = list(t.choices.keys()) if isinstance(t.choices, dict) else list(t.choices)
    if hasattr(t, "item_type"):
        d["item_type"] = type_info(t.item_type)
    if hasattr(t, "value_type"):
        d["value_type"] = type_info(t.value_type)
    d["type_name"] = getattr(t, "type_name", None)
    return d

def jsonable(v):
    try:
        json.dumps(v)
        return v
    except TypeError:
        return str(v)

groups = {}
for ns, listing in generator._list_opts(NAMESPACES):
    for group, opts in listing:
        gname = getattr(group, "name", group) or "DEFAULT"
        if gname != "DEFAULT":
            gname = gname.lower()
        seen = groups.setdefault(gname, [])
        names = {o["name"] for o in seen}
        for opt in opts:
            if opt.name in names:
                continue
            names.add(opt.name)
            seen.append({
                "name": opt.name, "dest": opt.dest, "opt_class": type(opt).__name__,
                "type": type_info(opt.type), "default": jsonable(opt.default),
                "secret": opt.secret,
                "deprecated_for_removal": opt.deprecated_for_removal,
                "deprecated_since": opt.deprecated_since,
                "deprecated_reason": opt.deprecated_reason,
                "deprecated_opts": [{"group": d.group, "name": d.name} for d in opt.deprecated_opts],
                "namespace": ns,
            })
print(json.dumps({"namespaces": NAMESPACES, "groups": groups}, indent=1))
'''


IMPORT_NAMESPACES = ["glance"]

# The releases the catalogue embeds, oldest first: glance version, OpenStack
# series, code name (shared/releases/README.md; releases.openstack.org). The
# dumps of 25.1.0 on are in shared/releases/options; the older ones, made by
# `dump` under openstack/requirements' <release>-eom upper-constraints with
# Python 3.8, are in tools/releases.
RELEASES = [
    ("21.1.0", "2020.2", "victoria"),
    ("22.1.1", "2021.1", "wallaby"),
    ("23.1.0", "2021.2", "xena"),
    ("24.2.1", "2022.1", "yoga"),
    ("25.1.0", "2022.2", "zed"),
    ("26.1.0", "2023.1", "antelope"),
    ("27.1.1", "2023.2", "bobcat"),
    ("28.2.0", "2024.1", "caracal"),
    ("29.2.1", "2024.2", "dalmatian"),
    ("30.2.0", "2025.1", "epoxy"),
    ("31.1.0", "2025.2", "flamingo"),
    ("32.0.0", "2026.1", "gazpacho"),
    ("33.0.0", "2026.2", "hibiscus"),
]


def load_json(path):
    """A JSON file, gzipped (``.gz``) or not."""
    if path.endswith(".gz"):
        with gzip.open(path, "rt", encoding="utf-8") as f:
            return json.load(f)
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def find_dump(directories, version, suffix):
    """glance-V.SUFFIX[.gz] from the first of `directories` that has it."""
    for directory in directories:
        for name in ("glance-%s.%s" % (version, suffix), "glance-%s.%s.gz" % (version, suffix)):
            path = os.path.join(directory, name)
            if os.path.exists(path):
                return path
    sys.exit("error: no glance-%s.%s[.gz] in %s" % (version, suffix, ", ".join(directories)))


# Groups the generator's listing names differently from where the code
# registers (and oslo.config reads) the options: listing name -> real group.
# glance 25-31's glance/opts.py listed the glance-download options under
# `glance_download_opts`, while glance/async_/flows/api_image_import.py
# registers them in `[glance_download_properties]` (glance b5ab2311a "Fix
# glance_download_properties config section name in the doc").
LISTED_GROUP_FIXES = {"glance_download_opts": "glance_download_properties"}


def release_dump(dumps, import_dumps, version):
    """One release's dump: the 16 glance-api namespaces plus the `glance`
    namespace (glance-image-import.conf, which glance-api reads too)."""
    data = load_json(find_dump(dumps, version, "options.json"))
    imp = load_json(find_dump([import_dumps], version, "import-options.json"))
    groups = dict(data["groups"])
    for group, opts in imp["groups"].items():
        group = LISTED_GROUP_FIXES.get(group, group)
        seen = groups.setdefault(group, [])
        names = {o["name"] for o in seen}
        groups[group] = seen + [o for o in opts if o["name"] not in names]
    return {"namespaces": data.get("namespaces", NAMESPACES) + IMPORT_NAMESPACES, "groups": groups}


def merge_table(per_release, key):
    """Merge one table (`groups` or `store_types`) of every release's
    conversion: each distinct form of an option is stored once, with
    `releases`, the bit mask of the releases that have it in that form (bit i:
    RELEASES[i]; absent means every release). Order: the newest release's, then
    what older releases had and it has not."""
    every = (1 << len(per_release)) - 1
    merged = {}
    for i in reversed(range(len(per_release))):
        for group, opts in per_release[i][key].items():
            entries = merged.setdefault(group, [])
            for opt in opts:
                for entry in entries:
                    if entry[0] == opt:
                        entry[1] |= 1 << i
                        break
                else:
                    # After the last form of the same option, to keep forms together.
                    at = max((n + 1 for n, e in enumerate(entries) if e[0]["name"] == opt["name"]),
                             default=len(entries))
                    entries.insert(at, [opt, 1 << i])
    out = {}
    for group, entries in merged.items():
        out[group] = []
        for opt, mask in entries:
            opt = dict(opt)
            if mask != every:
                opt["releases"] = mask
            out[group].append(opt)
    return out


def cmd_build(args):
    """`build`: every release's dumps -> one catalogue."""
    per_release = []
    for version, _series, _name in RELEASES:
        per_release.append(convert(release_dump(args.dumps, args.import_dumps, version), {}))
    cat = {
        "version": 2,
        "releases": [{"glance": v, "series": s, "name": n} for v, s, n in RELEASES],
        "namespaces": NAMESPACES,
        "import_namespaces": IMPORT_NAMESPACES,
        "groups": merge_table(per_release, "groups"),
        "store_types": merge_table(per_release, "store_types"),
    }
    text = json.dumps(cat, separators=(",", ":"), ensure_ascii=False)
    with open(args.output, "w", encoding="utf-8") as f:
        f.write(text + "\n")
    n = sum(len(v) for v in cat["groups"].values())
    print("wrote %s: %d releases, %d groups, %d option forms, %d store types, %d bytes"
          % (args.output, len(RELEASES), len(cat["groups"]), n, len(cat["store_types"]), len(text) + 1),
          file=sys.stderr)


def dump_script(workdir):
    """DUMP_SCRIPT as a file named dump.py: oslo.messaging's `processname`
    defaults to the running program's name, which the dumps in
    shared/releases/ recorded as `dump.py`."""
    path = os.path.join(workdir, "dump.py")
    with open(path, "w", encoding="utf-8") as f:
        f.write(DUMP_SCRIPT)
    return path


def dump_from_pypi(version, workdir, python, constraints, namespaces):
    """Install glance==version (under `constraints` when given) with `python`
    in a throw-away venv and dump `namespaces` the way shared/releases/ was made."""
    venv = os.path.join(workdir, "venv")
    subprocess.check_call([python, "-m", "venv", venv])
    py = os.path.join(venv, "bin", "python")
    cmd = [py, "-m", "pip", "install", "--quiet"]
    if constraints:
        cmd += ["-c", constraints]
    cmd += ["glance==%s" % version, "python-cinderclient", "os-brick", "python-swiftclient", "boto3"]
    subprocess.check_call(cmd)
    out = subprocess.check_output([py, dump_script(workdir), json.dumps(namespaces)])
    data = json.loads(out)
    if "glance.store" in namespaces and not any(template_store_type(g) == "cinder" for g in data["groups"]):
        sys.exit("error: the cinder store options are missing (python-cinderclient not importable?)")
    freeze = subprocess.check_output([py, "-m", "pip", "freeze"]).decode()
    return data, freeze


def cmd_dump(args):
    """`dump`: one release's option dumps, from PyPI."""
    with tempfile.TemporaryDirectory(prefix="gen-catalogue-") as tmp:
        data, freeze = dump_from_pypi(args.glance_version, tmp, args.python, args.constraints,
                                      NAMESPACES)
        # The glance namespace (glance-image-import.conf) from the same venv.
        py = os.path.join(tmp, "venv", "bin", "python")
        imp = json.loads(subprocess.check_output([py, dump_script(tmp), json.dumps(IMPORT_NAMESPACES)]))
    os.makedirs(args.output_dir, exist_ok=True)
    base = os.path.join(args.output_dir, "glance-%s" % args.glance_version)
    with open(base + ".options.json", "w", encoding="utf-8") as f:
        json.dump(data, f, indent=1)
    with open(base + ".import-options.json", "w", encoding="utf-8") as f:
        json.dump(imp, f, indent=1, sort_keys=True)
        f.write("\n")
    with open(base + ".freeze.txt", "w", encoding="utf-8") as f:
        f.write(freeze)
    print("wrote %s.{options,import-options}.json and .freeze.txt" % base, file=sys.stderr)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="command", required=True)
    d = sub.add_parser("dump", help="install one glance release from PyPI and dump its options")
    d.add_argument("--glance-version", required=True, metavar="X")
    d.add_argument("--python", default=sys.executable, help="the Python the release supports")
    d.add_argument("--constraints", metavar="UC", help="the release's upper-constraints file")
    d.add_argument("--output-dir", required=True, metavar="DIR")
    b = sub.add_parser("build", help="convert release dumps into the embedded catalogue")
    b.add_argument("--dumps", required=True, metavar="DIR", action="append",
                   help="glance-V.options.json[.gz] per release, in the first DIR that has it "
                        "(shared/releases/options, then tools/releases; repeatable)")
    b.add_argument("--import-dumps", required=True, metavar="DIR",
                   help="glance-V.import-options.json per release (tools/releases)")
    b.add_argument("--output", default="src/schema/catalogue.json")
    args = ap.parse_args()
    if args.command == "dump":
        cmd_dump(args)
    else:
        cmd_build(args)


if __name__ == "__main__":
    main()
