#!/usr/bin/env python3
"""Build glance-lint's embedded option catalogue (src/schema/catalogue.json).

Regenerating the catalogue
--------------------------
The catalogue is generated, never hand-edited. From the option dump shipped in
shared/oslo (glance 33.0.0, built with oslo.config's ``generator._list_opts``)::

    python3 tools/gen-catalogue.py --from-json shared/oslo/glance-api-options.json \
        --output src/schema/catalogue.json

For another Glance release (needs network access to PyPI; takes a few minutes)::

    python3 tools/gen-catalogue.py --glance-version 33.0.0 --output src/schema/catalogue.json

This creates a throw-away venv, installs ``glance==X python-cinderclient os-brick
python-swiftclient boto3`` (without python-cinderclient the cinder store options
silently vanish), walks the 16 namespaces of glance's glance-api generator config
with ``oslo_config.generator._list_opts`` (keeping opt class, regex and list item
types, which ``oslo-config-generator --format json`` drops), writes the same JSON
as shared/oslo/glance-api-options.json next to the output (``*.options.json``) and
converts it.  Options of hand-maintained tables (store_description/weight,
keystoneauth plugin options, removed options) live in src/schema/gaps.rs and
src/schema/removed.rs: review them when moving to a new release.

The output holds FACTS ONLY (names, types, bounds, defaults, secret flags,
deprecations and a short deprecation-reason category); Glance's help texts are
deliberately left out.  Conversion uses the standard library only.
"""

import argparse
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
    for k in sorted(kinds):
        oc, tc = k.split("/")
        print("  %-28s %4d -> %s" % (k, kinds[k], kind_of(oc, {"type_class": tc})), file=sys.stderr)
    return {
        "version": 1,
        "source": source,
        "namespaces": data.get("namespaces", NAMESPACES),
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


def dump_from_pypi(version, workdir):
    venv = os.path.join(workdir, "venv")
    subprocess.check_call([sys.executable, "-m", "venv", venv])
    py = os.path.join(venv, "bin", "python")
    subprocess.check_call([py, "-m", "pip", "install", "--quiet", "glance==%s" % version,
                           "python-cinderclient", "os-brick", "python-swiftclient", "boto3"])
    out = subprocess.check_output([py, "-c", DUMP_SCRIPT, json.dumps(NAMESPACES)])
    data = json.loads(out)
    if not any(template_store_type(g) == "cinder" for g in data["groups"]):
        sys.exit("error: the cinder store options are missing (python-cinderclient not importable?)")
    return data


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--from-json", metavar="PATH", help="option dump in the shared/oslo JSON format")
    src.add_argument("--glance-version", metavar="X", help="install glance==X in a temporary venv and dump it")
    ap.add_argument("--output", default="catalogue.json", help="default: ./catalogue.json")
    args = ap.parse_args()

    if args.from_json:
        with open(args.from_json, encoding="utf-8") as f:
            data = json.load(f)
        source = {"from_json": os.path.basename(args.from_json)}
    else:
        with tempfile.TemporaryDirectory(prefix="gen-catalogue-") as tmp:
            data = dump_from_pypi(args.glance_version, tmp)
        dump_path = os.path.splitext(args.output)[0] + ".options.json"
        with open(dump_path, "w", encoding="utf-8") as f:
            json.dump(data, f, indent=1)
        source = {"glance": args.glance_version}

    cat = convert(data, source)
    text = json.dumps(cat, separators=(",", ":"), sort_keys=False, ensure_ascii=False)
    with open(args.output, "w", encoding="utf-8") as f:
        f.write(text + "\n")
    n = sum(len(v) for v in cat["groups"].values())
    print("wrote %s: %d groups, %d options, %d store types, %d bytes"
          % (args.output, len(cat["groups"]), n, len(cat["store_types"]), len(text) + 1), file=sys.stderr)


if __name__ == "__main__":
    main()
