"""Reader 1: Cloudflare's OpenAPI schema with codegen/overlay.json applied, the annotations
(codegen/annotations.json) and the official SDK's names (codegen/sdk-names.tsv).

read() gives the model builder these facts as an Inputs; it decides nothing about C++."""
import json
import os
import re
from collections import OrderedDict

from cfgen.model import Op

CODEGEN = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # the inputs' folder


class Inputs:
    """What this reader gives the model builder."""

    def __init__(self, ann, overlaid, schema, secrets, rows, ops):
        self.ann = ann  # annotations.json
        self.overlaid = overlaid  # the schema after the overlay, the text of codegen/openapi.overlaid.json
        self.schema = schema  # a Schema of that document (secret marks added)
        self.secrets = secrets  # read_secrets' rules
        self.rows = rows  # sdk-names.tsv: a dict per row
        self.ops = ops  # an Op per schema operation


def read(extend=None):
    """The schema's facts. `extend(doc, flatten)`, if given, adds to the document after the overlay
    (the SDK reader's derived operations) before anything reads it; `flatten` is `Schema.flatten`
    over that document."""
    raw = json.load(open(os.path.join(CODEGEN, "cloudflare-openapi-2024-08-06.json"), encoding="utf-8"))
    overlay = json.load(open(os.path.join(CODEGEN, "overlay.json"), encoding="utf-8"))
    ann = json.load(open(os.path.join(CODEGEN, "annotations.json"), encoding="utf-8"))
    doc = apply_overlay(raw, overlay)
    if extend is not None:
        extend(doc, Schema(doc).flatten)
    # Written before read_secrets marks the document (`x-cf-secret`): the file is the overlay's result.
    overlaid = json.dumps(doc, indent=1, ensure_ascii=False) + "\n"
    schema = Schema(doc)
    secrets = read_secrets(schema, ann["secrets"])
    return Inputs(ann, overlaid, schema, secrets, load_tsv(os.path.join(CODEGEN, "sdk-names.tsv")), schema_ops(doc))


# ------------------------------------------------------------------------------------------------
# OpenAPI Overlay 1.0, with the JSONPath subset documented in overlay.json ("x-jsonpath-subset").

def _tokens(path):
    """Splits a JSONPath into steps: ('key', k), ('all',), ('index', n), ('filter', [paths])."""
    if not path.startswith("$"):
        raise ValueError("JSONPath must start with $: " + path)
    i, out = 1, []
    while i < len(path):
        c = path[i]
        if c == ".":
            if path[i + 1] == "*":
                out.append(("all",)); i += 2; continue
            m = re.match(r"[A-Za-z0-9_\-$]+", path[i + 1:])
            out.append(("key", m.group(0))); i += 1 + len(m.group(0)); continue
        if c == "[":
            if path.startswith("[*]", i):
                out.append(("all",)); i += 3; continue
            if path[i + 1] == "'":
                j = path.index("']", i + 2)
                out.append(("key", path[i + 2:j])); i = j + 2; continue
            if path.startswith("[?(", i):
                j = path.index(")]", i)
                terms = [t.strip() for t in path[i + 3:j].split("&&")]
                out.append(("filter", [_tokens("$" + t[1:]) for t in terms])); i = j + 2; continue
            j = path.index("]", i)
            out.append(("index", int(path[i + 1:j]))); i = j + 1; continue
        raise ValueError("unsupported JSONPath at %d: %s" % (i, path))
    return out


def _children(node):
    if isinstance(node, dict):
        return list(node.items())
    if isinstance(node, list):
        return list(enumerate(node))
    return []


def _exists(node, steps):
    return len(_select(node, steps)) > 0


def _select(root, steps):
    """Returns (parent, key, value) for every match, in document order."""
    cur = [(None, None, root)]
    for st in steps:
        nxt = []
        for _, _, node in cur:
            if st[0] == "key":
                if isinstance(node, dict) and st[1] in node:
                    nxt.append((node, st[1], node[st[1]]))
            elif st[0] == "index":
                if isinstance(node, list) and -len(node) <= st[1] < len(node):
                    nxt.append((node, st[1], node[st[1]]))
            elif st[0] == "all":
                nxt.extend((node, k, v) for k, v in _children(node))
            elif st[0] == "filter":
                nxt.extend((node, k, v) for k, v in _children(node) if all(_exists(v, t) for t in st[1]))
        cur = nxt
    return cur


def _merge(target, update):
    for k, v in update.items():
        if isinstance(v, dict) and isinstance(target.get(k), dict):
            _merge(target[k], v)
        else:
            target[k] = json.loads(json.dumps(v))


def apply_overlay(doc, overlay):
    for action in overlay["actions"]:
        matches = _select(doc, _tokens(action["target"]))
        if not matches:
            raise SystemExit("overlay target matches nothing: " + action["target"])
        if action.get("remove"):
            # Remove from the end so list indices stay valid.
            for parent, key, _ in reversed(matches):
                if isinstance(parent, list):
                    parent.pop(key)
                else:
                    del parent[key]
        elif "update" in action:
            for _, _, node in matches:
                if isinstance(node, list):
                    node.append(json.loads(json.dumps(action["update"])))
                else:
                    _merge(node, action["update"])
    return doc


# ------------------------------------------------------------------------------------------------
# Schema helpers

class Schema:
    def __init__(self, doc):
        self.doc = doc
        self.components = doc.get("components", {}).get("schemas", {})

    def resolve(self, s, seen=()):
        while isinstance(s, dict) and "$ref" in s:
            ref = s["$ref"]
            if ref in seen:
                return {"x-recursive": ref}
            seen = seen + (ref,)
            s = self.pointer(ref)
        return s if isinstance(s, dict) else {}

    def pointer(self, ref):
        """The object a local reference names: `#/components/responses/x` is not a schema."""
        node = self.doc
        for step in ref.lstrip("#").strip("/").split("/"):
            step = step.replace("~1", "/").replace("~0", "~")
            node = node.get(step, {}) if isinstance(node, dict) else {}
        return node

    def flatten(self, s, seen=()):
        """Resolves references and merges allOf: one dict with ordered properties and required."""
        if isinstance(s, dict) and "$ref" in s:
            ref = s["$ref"]
            if ref in seen:
                return {"x-recursive": ref}
            return self.flatten(self.components.get(ref.split("/")[-1], {}), seen + (ref,))
        if not isinstance(s, dict):
            return {}
        if "allOf" not in s:
            return s
        out = {k: v for k, v in s.items() if k != "allOf"}
        props = OrderedDict()
        required = list(s.get("required", []))
        for part in s["allOf"]:
            f = self.flatten(part, seen)
            for k, v in f.items():
                if k == "properties":
                    for pk, pv in v.items():
                        props[pk] = pv  # later members refine earlier ones (envelope `result`)
                elif k == "required":
                    required += [r for r in v if r not in required]
                elif k not in out:
                    out[k] = v
        for pk, pv in s.get("properties", {}).items():
            props[pk] = pv
        if props:
            out["properties"] = props
            out.setdefault("type", "object")
        if required:
            out["required"] = required
        return out


# ------------------------------------------------------------------------------------------------
# Secrets: which answer values are credentials (annotations.json "secrets", each with its reason)

def read_secrets(schema, entries):
    """The secret rules of the annotations, in three forms:
    - {"field": name}: a response property of that name, anywhere (`client_secret`);
    - {"component": C}: every use of schema component C; with "property": "a.b", that property
      of C (a dotted path through inline objects, arrays and unions): it is marked in place
      (`x-cf-secret`), since an inline property has no name of its own to point at;
    - {"operation": sdk_name, "path": "result"}: the operation's whole result is a credential.
    A rule that matches nothing is an error: annotations must not rot silently."""
    out = {"fields": set(), "components": set(), "operations": set()}
    for e in entries:
        if "field" in e:
            out["fields"].add(e["field"])
        elif "operation" in e:
            if e.get("path") != "result":
                raise SystemExit("secrets: operation rules take path \"result\": %r" % e)
            out["operations"].add(e["operation"])
        elif "property" in e:
            node = schema.components.get(e["component"])
            if node is None:
                raise SystemExit("secrets: no component %s" % e["component"])
            for step in e["property"].split("."):
                found = _property_holders(schema, node, step)
                if not found:
                    raise SystemExit("secrets: %s has no property %s" % (e["component"], e["property"]))
                node = found[0][step]
            for holder in found:
                holder[step]["x-cf-secret"] = True
        else:
            if e["component"] not in schema.components:
                raise SystemExit("secrets: no component %s" % e["component"])
            out["components"].add(e["component"])
    return out


def _property_holders(schema, node, name, depth=0):
    """The `properties` dicts under `node` (through allOf, oneOf, anyOf, items) that hold `name`."""
    if depth > 8:
        return []
    f = schema.flatten(node)
    if name in f.get("properties", {}):
        # the dicts themselves, not flatten's merged copy: marks must land in the document
        raw = [schema.resolve(node)] + [schema.resolve(p) for p in schema.resolve(node).get("allOf", [])]
        held = [r["properties"] for r in raw if name in r.get("properties", {})]
        return held or [f["properties"]]
    out = []
    for key in ("oneOf", "anyOf"):
        for alt in f.get(key, []):
            out += _property_holders(schema, alt, name, depth + 1)
    if "items" in f:
        out += _property_holders(schema, f["items"], name, depth + 1)
    return out


# ------------------------------------------------------------------------------------------------
# Operations, and the SDK's names for them

METHODS = ("get", "post", "put", "patch", "delete", "head")


def load_tsv(path):
    rows = []
    with open(path, encoding="utf-8") as fh:
        header = fh.readline().rstrip("\n").split("\t")
        for line in fh:
            rows.append(dict(zip(header, line.rstrip("\n").split("\t"))))
    return rows


def schema_ops(doc):
    ops = []
    for path, item in doc["paths"].items():
        for m in METHODS:
            if m in item:
                o = Op()
                o.path, o.verb, o.spec = path, m, item[m]
                o.common_params = item.get("parameters", [])
                ops.append(o)
    return ops
