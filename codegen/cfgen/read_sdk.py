"""Reader 2: the official Python SDK's facts (codegen/sdk-4.3.1.json, made by extract_sdk.py).

`derive_openapi` describes, as OpenAPI 3.0, every SDK method whose route the schema lacks: its
parameters, body and answer come from the SDK's own types (Python annotations read as JSON
Schema). The generator then treats those routes like any other, and Prism serves the same
description to the sweep: what is checked against it is checked against the SDK's facts only
(every derived operation carries `x-derived-from`).
"""
import ast
import json
import os
import re
from collections import OrderedDict

from cfgen.names import norm_route

CODEGEN = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

SCOPED = "/{accounts_or_zones}/{account_or_zone_id}"
DERIVED_FROM = "cloudflare-python 4.3.1"
COMPONENT_PREFIX = "sdk_"
FAILURE = COMPONENT_PREFIX + "api_response_failure"
# Marks a JSON body split into the SDK's overloads (an `anyOf` of one object per params class):
# the model gives each overload's members the types the one object's members would have had.
OVERLOADS = "x-sdk-overloads"
# Marks an alternative the SDK reader adds to a schema's choice (an overload of a kind the 2024
# schema lacks, DNS's OPENPGPKEY record): the params class it is, so the model need not match it.
SDK_CLASS = "x-sdk-class"
READ_ONLY = "read-only in the 2024 schema"  # what a derived member's doc says where the schema has it read-only
# Python names the SDK's annotations use for JSON scalars.
SCALARS = {
    "str": {"type": "string"},
    "int": {"type": "integer"},
    "float": {"type": "number"},
    "bool": {"type": "boolean"},
    "datetime": {"type": "string", "format": "date-time"},
    "date": {"type": "string", "format": "date"},
    "datetime.datetime": {"type": "string", "format": "date-time"},
    "datetime.date": {"type": "string", "format": "date"},
    "object": {},
    "Any": {},
    "FileTypes": {"type": "string", "format": "binary"},
}
ARRAYS = {"List", "Iterable", "Sequence", "SequenceNotStr"}
MAPS = {"Dict", "Mapping"}
# Paging classes: where the items stand in `result`, and the result_info members each reads.
PAGES = {
    "SinglePage": None,
    "V4PagePaginationArray": ("page", "per_page", "count", "total_count"),
    "V4PagePagination": ("page", "per_page", "count", "total_count"),
    "CursorPagination": ("count", "cursor", "per_page"),
    "CursorLimitPagination": ("count", "cursor", "per_page"),
}


class SdkFacts:
    """The extract, indexed: methods in the SDK's order, and every class and alias by reference."""

    def __init__(self, path):
        with open(path, encoding="utf-8") as fh:
            self.doc = json.load(fh)
        self.methods = self.doc["methods"]
        self.modules = self.doc["types"]
        self.classes, self.aliases = {}, {}
        for mod, entry in self.modules.items():
            for c in entry["classes"]:
                self.classes[mod + "." + c["name"]] = c
            for a in entry["aliases"]:
                self.aliases[mod + "." + a["name"]] = a

    def class_fields(self, ref):
        """(field, the module its type is written in) of a class, its bases' fields first
        (`PatchARecord(ARecordParam)`); a field a class redeclares keeps its base's place."""
        out = OrderedDict()
        c = self.classes[ref]
        for base in c.get("bases", []):
            for f, fmod in self.class_fields(base):
                out[f["name"]] = (f, fmod)
        for f in c["fields"]:
            out[f["name"]] = (f, ref.rpartition(".")[0])
        return list(out.values())

    def result_text(self, m):
        """(type text, module to read it in) of what a method yields: its references
        ('Optional[dir/module.Class]') spelled as names of that class's module."""
        text, mod = m.get("result") or "object", ""
        for ref in sorted(set(re.findall(r"[a-z0-9_/]+\.[A-Za-z0-9_]+", text)), key=len, reverse=True):
            if ref in self.classes or ref in self.aliases:
                mod = ref.rpartition(".")[0]
                text = text.replace(ref, ref.rpartition(".")[2])
        return text, mod

    @staticmethod
    def routes(m):
        """The concrete routes of a method: a scoped one is its /accounts and /zones twins."""
        r = m["route"]
        if r.startswith(SCOPED):
            rest = r[len(SCOPED):]
            return [("/accounts/{account_id}" + rest, "accounts"), ("/zones/{zone_id}" + rest, "zones")]
        return [(r, None)]

    def missing(self, doc):
        """Methods none of whose routes the schema has for that HTTP method."""
        have = set()
        for path, item in doc["paths"].items():
            for verb in item:
                have.add((verb.upper(), norm_route(path)))
        return [m for m in self.methods
                if not any((m["verb"], norm_route(r)) in have for r, _ in self.routes(m))]

    def resolve(self, mod, name):
        """'dir/module.Name' for `name` as written in types module `mod` (`x_params.Foo` too)."""
        entry = self.modules.get(mod, {})
        head, _, rest = name.partition(".")
        if rest:
            target = entry.get("imports", {}).get(head)
            return (target + "." + rest) if target else None
        local = mod + "." + name
        if local in self.classes or local in self.aliases:
            return local
        return entry.get("imports", {}).get(name)


class SchemaWriter:
    """Python annotations as JSON Schema; each SDK class one component, named after it."""

    def __init__(self, facts):
        self.facts = facts
        self.components = OrderedDict()

    @staticmethod
    def component(ref):
        return COMPONENT_PREFIX + re.sub(r"[^A-Za-z0-9]+", "_", ref)

    def of(self, text, mod):
        return self.node(ast.parse(text, mode="eval").body, mod)

    def node(self, n, mod):
        if isinstance(n, ast.Constant) and n.value is None:
            return {"nullable": True}
        if isinstance(n, ast.Constant) and isinstance(n.value, str):  # a forward reference
            return self.of(n.value, mod)
        if isinstance(n, (ast.Name, ast.Attribute)) and ast.unparse(n) in SCALARS:
            return dict(SCALARS[ast.unparse(n)])
        if isinstance(n, (ast.Name, ast.Attribute)):
            return self.named(ast.unparse(n), mod)
        if isinstance(n, ast.BinOp) and isinstance(n.op, ast.BitOr):
            return self.union([n.left, n.right], mod)
        if isinstance(n, ast.Subscript):
            head = ast.unparse(n.value)
            args = n.slice.elts if isinstance(n.slice, ast.Tuple) else [n.slice]
            if head == "Optional":
                s = self.node(args[0], mod)
                return self.nullable(s)
            if head in ARRAYS:
                return {"type": "array", "items": self.node(args[0], mod)}
            if head in MAPS:
                return {"type": "object", "additionalProperties": self.node(args[-1], mod)}
            if head == "Union":
                return self.union(args, mod)
            if head == "Literal":
                values = [a.value for a in args if isinstance(a, ast.Constant)]
                kinds = {type(v) for v in values}
                t = {str: "string", bool: "boolean", int: "integer", float: "number"}.get(kinds.pop()) if len(kinds) == 1 else None
                return dict({"enum": values}, **({"type": t} if t else {}))
            if head == "Annotated":
                return self.node(args[0], mod)
            if head == "Type":
                return self.node(args[0], mod)
        raise SystemExit("codegen/sdk-4.3.1.json: cannot read the type %r (module %s)" % (ast.unparse(n), mod))

    @staticmethod
    def nullable(s):
        if "$ref" in s:
            return {"allOf": [s], "nullable": True}
        return dict(s, nullable=True)

    def union(self, members, mod):
        nulls = [m for m in members if isinstance(m, ast.Constant) and m.value is None]
        rest = [self.node(m, mod) for m in members if m not in nulls]
        s = rest[0] if len(rest) == 1 else {"oneOf": rest}
        return self.nullable(s) if nulls else s

    def named(self, name, mod):
        ref = self.facts.resolve(mod, name)
        if ref is None:
            raise SystemExit("codegen/sdk-4.3.1.json: %s names %s, which it does not define or import" % (mod, name))
        key = self.component(ref)
        if key not in self.components:
            self.components[key] = None  # reserved first: classes may refer to themselves
            owner = ref.rpartition(".")[0]
            if ref in self.facts.classes:
                self.components[key] = self.klass(ref)
            else:
                alias = self.facts.aliases[ref]
                self.components[key] = self.of(alias["type"], owner)
        return {"$ref": "#/components/schemas/" + key}

    def klass(self, ref):
        props, required = OrderedDict(), []
        for f, fmod in self.facts.class_fields(ref):
            wire = f.get("alias", f["name"])
            props[wire] = self.of(f["type"], fmod)
            if f.get("required") and not props[wire].get("nullable"):
                required.append(wire)
        out = {"type": "object", "title": ref.rpartition(".")[2], "properties": props}
        if required:
            out["required"] = required
        return out

    def params_field(self, sig, name):
        """(schema, types module) of argument `name`, from its params class where it has one."""
        ref = sig.get("params")
        if ref and ref in self.facts.classes:
            for f, mod in self.facts.class_fields(ref):
                if f["name"] == name:
                    return self.of(f["type"], mod), mod
        return None, None


class Deriver:
    """OpenAPI operations for the SDK methods the schema lacks."""

    def __init__(self, facts):
        self.facts = facts
        self.schemas = SchemaWriter(facts)

    def arg_schema(self, sig, a):
        s, _ = self.schemas.params_field(sig, a["name"])
        if s is None:  # path parameters have no params field when nothing else is sent
            s = self.schemas.of(a["type"], "") if a["type"] in SCALARS else {"type": "string"}
        return s

    def query_params(self, sig, a, s, prefix=""):
        """A query argument; an object one is sent in dotted form (`comment.contains`), as the SDK does."""
        name = prefix + a.get("wire", a["name"])
        flat = s
        if "$ref" in s:
            flat = self.schemas.components[s["$ref"].split("/")[-1]]
        if flat.get("type") == "object" and flat.get("properties"):
            out = []
            for pn, ps in flat["properties"].items():
                out += self.query_params(sig, {"name": pn}, ps, name + ".")
            return out
        return [{"in": "query", "name": name, "required": bool(a.get("required")) and not prefix, "schema": s}]

    def overloads(self, m, member, extra=()):
        """The JSON body of a method the SDK overloads with different members per overload (Spectrum
        apps, a Worker's secrets: text or key): an `anyOf` of one object per overload, titled by
        its params class and marked `x-sdk-overloads`; None when the overloads send the same body.
        `member(sig, a)` is (schema, required) of body argument `a`; `extra` are (wire, schema,
        required) members every overload gets (what only the schema lists)."""
        sigs = m["signatures"]
        if len(sigs) < 2 or m.get("content") == "multipart" or any(not s.get("params") for s in sigs) or \
                any(a["in"] == "whole_body" for s in sigs for a in s["args"]):
            return None
        alts = []
        for sig in sigs:
            props, required = self.body_members(sig, member)
            for wire, s, req in extra:
                if wire not in props:
                    props[wire] = s
                    if req:
                        required.append(wire)
            cls = sig["params"].rpartition(".")[2]
            alt = OrderedDict([("type", "object"), ("title", cls), ("description", "The official SDK's `%s` overload of `%s.%s`." % (
                cls, m["resource"], m["name"])), ("properties", props)])
            if required:
                alt["required"] = required
            alts.append(alt)
        shapes = {json.dumps([a["properties"], a.get("required")], sort_keys=True, default=str) for a in alts}
        if len(shapes) == 1 or not all(a["properties"] for a in alts):
            return None
        return {"anyOf": alts, OVERLOADS: True}

    @staticmethod
    def body_members(sig, member):
        """(properties, required) of the JSON body one signature sends; `member(sig, a)` is
        (schema, required) of body argument `a`."""
        props, required = OrderedDict(), []
        for a in sig["args"]:
            if a["in"] == "body":
                wire = a.get("wire", a["name"])
                props[wire], req = member(sig, a)
                if req:
                    required.append(wire)
        return props, required

    def operation(self, m, route, twin):
        sig = m["signatures"][-1]
        params, body, body_required, whole = [], OrderedDict(), [], None
        path_names = re.findall(r"\{([^}]*)\}", route)
        for a in sig["args"]:
            where = a["in"]
            if twin and a["name"] in ("account_id", "zone_id"):
                continue
            if where == "path":
                params.append({"in": "path", "name": a["name"], "required": True, "schema": self.arg_schema(sig, a)})
            elif where == "query":
                params += self.query_params(sig, a, self.arg_schema(sig, a))
            elif where == "header":
                params.append({"in": "header", "name": a["wire"], "required": bool(a.get("required")),
                               "schema": self.arg_schema(sig, a)})
            elif where == "whole_body":
                whole = (self.arg_schema(sig, a), bool(a.get("required")))
            else:
                wire = a.get("wire", a["name"])
                if where == "file":
                    s = {"type": "string", "format": "binary"}
                elif where == "files":
                    s = {"type": "object", "additionalProperties": {"type": "string", "format": "binary"}}
                else:
                    s = self.arg_schema(sig, a)
                body[wire] = s
                if a.get("required"):
                    body_required.append(wire)
        if twin:
            pid = twin[:-1] + "_id"
            params.insert(0, {"in": "path", "name": pid, "required": True, "schema": {"type": "string"}})
        for n in path_names:  # a route parameter the method takes under another name
            if not any(p["in"] == "path" and p["name"] == n for p in params):
                params.append({"in": "path", "name": n, "required": True, "schema": {"type": "string"}})
        op = OrderedDict()
        op["operationId"] = "%s.%s%s" % (m["resource"], m["name"], "." + twin if twin else "")
        op["summary"] = "client.%s.%s" % (m["resource"], m["name"])
        op["x-derived-from"] = DERIVED_FROM
        if params:
            op["parameters"] = params
        media = "multipart/form-data" if m.get("content") == "multipart" else "application/json"
        split = self.overloads(m, self.sdk_member)
        if whole is not None:
            op["requestBody"] = {"required": whole[1], "content": {media: {"schema": whole[0]}}}
        elif body and split:  # one of the overloads' objects: always sent
            op["requestBody"] = {"required": True, "content": {media: {"schema": split}}}
        elif body:
            s = {"type": "object", "properties": body}
            if body_required:
                s["required"] = body_required
            op["requestBody"] = {"required": bool(body_required), "content": {media: {"schema": s}}}
        op["responses"] = OrderedDict([("200", self.answer(m)), ("4XX", {
            "description": "failure", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/" + FAILURE}}}})])
        return op

    def derived_member(self, sig, a, where=None):
        """Body argument `a` as the SDK sends it, marked `x-derived-from`; `where`: what the 2024
        schema has in its place, when it has something (its doc says so)."""
        out = dict(self.arg_schema(sig, a), **{"x-derived-from": DERIVED_FROM})
        if where:
            out["description"] = "sent as the official SDK sends it (%s)" % where
        return out

    def sdk_member(self, sig, a):
        return self.arg_schema(sig, a), bool(a.get("required"))

    def json_body(self, m, where=None):
        """The SDK's JSON body of `m` where the schema gives it no members (or none the model can
        type: `where` says what it has): one object per overload where they differ, else the last
        overload's object; each member `x-derived-from`."""
        def member(sig, a):
            return self.derived_member(sig, a, where), bool(a.get("required"))
        split = self.overloads(m, member)
        if split:
            return split
        props, required = self.body_members(m["signatures"][-1], member)
        out = {"type": "object", "properties": props}
        if required:
            out["required"] = required
        return out

    def result_schema(self, m):
        return self.schemas.of(*self.facts.result_text(m))

    def answer(self, m):
        if not m.get("envelope"):
            if m["returns"] == "None":
                return {"description": "no content"}
            if m["returns"] == "BinaryAPIResponse":
                return {"description": "bytes", "content": {m.get("accept", "application/octet-stream"): {
                    "schema": {"type": "string", "format": "binary"}}}}
            return {"description": "the answer", "content": {"application/json": {"schema": self.result_schema(m)}}}
        result = self.result_schema(m)
        props = OrderedDict([("errors", {"$ref": "#/components/schemas/" + COMPONENT_PREFIX + "messages"}),
                             ("messages", {"$ref": "#/components/schemas/" + COMPONENT_PREFIX + "messages"}),
                             ("success", {"type": "boolean", "enum": [True]})])
        page = m.get("page")
        if page:
            items = {"type": "array", "items": result}
            props["result"] = {"type": "object", "properties": {"items": items}} if page == "V4PagePagination" else items
            if PAGES.get(page):
                props["result_info"] = {"type": "object", "properties": OrderedDict(
                    (k, {"type": "string"} if k == "cursor" else {"type": "number"}) for k in PAGES[page])}
        else:
            props["result"] = result
        return {"description": "success", "content": {"application/json": {"schema": {
            "type": "object", "required": ["success", "errors", "messages", "result"], "properties": props}}}}

    def extend(self, doc, flatten):
        """What the SDK sends on an operation the schema has but the schema does not list: its
        query and header parameters (`dns.records.list`'s `content.exact`, the radar filters) and
        its JSON body members (`waiting_rooms.create`'s `turnstile_mode`), taken from every
        overload's signature. Each added one carries `x-derived-from`. A body that is not one JSON
        object (a choice, a form, bytes) is left as the schema has it."""
        def resolve(node):
            while isinstance(node, dict) and "$ref" in node:
                target = doc
                for part in node["$ref"][2:].split("/"):
                    target = target[part]
                node = target
            return node

        missing = {id(m) for m in self.facts.missing(doc)}
        # The schema may name a route's parameters otherwise (`{id}` where the SDK has `{gateway_id}`).
        by_route = {norm_route(path): path for path in doc["paths"]}
        for m in self.facts.methods:
            if id(m) in missing:
                continue
            args = OrderedDict()  # (where, wire) -> (signature, argument), the first overload's first
            for sig in m["signatures"]:
                for a in sig["args"]:
                    args.setdefault((a["in"], a.get("wire", a["name"])), (sig, a))
            for route, twin in self.facts.routes(m):
                item = doc["paths"].get(by_route.get(norm_route(route)), {})
                op = item.get(m["verb"].lower())
                if op is None:
                    continue
                listed = list(map(resolve, list(item.get("parameters", [])) + list(op.get("parameters", []))))
                have = {(p.get("in"), p.get("name", "").lower()) for p in listed}
                # A query object the schema lists is the same parameter, whatever form the SDK
                # sends it in (`intel.dns.list`'s `start_end_params`): the schema's wire format wins.
                objects = {p.get("name") for p in listed if p.get("in") == "query"
                           and resolve(p.get("schema", {})).get("type") == "object"}
                new = []
                for (where, wire), (sig, a) in args.items():
                    if where == "query" and wire in objects:
                        continue
                    if where == "query":
                        new += [q for q in self.query_params(sig, a, self.arg_schema(sig, a))
                                if ("query", q["name"].lower()) not in have]
                    elif where == "header" and ("header", wire.lower()) not in have:
                        new.append({"in": "header", "name": wire, "required": False, "schema": self.arg_schema(sig, a)})
                for p in new:
                    p["x-derived-from"] = DERIVED_FROM
                if new:
                    op["parameters"] = list(op.get("parameters", [])) + new
                self.extend_body(m, op, args, resolve, flatten)

    def extend_body(self, m, op, args, resolve, flatten):
        """The SDK's JSON body members the operation's body lacks. An object body gains them as an
        `allOf` beside it (its schema may be a component other operations share), or in the
        operation's own copy where the schema marks one read-only. Where the SDK overloads the
        method with different members per overload, the body becomes one object per overload
        (`overloads`): the schema's members as the schema has them, the SDK's others derived, and
        what only the schema lists in every overload. A choice of objects: `extend_choice`. A
        body with no members at all: the SDK's (`json_body`)."""
        body = resolve(op.get("requestBody")) or {}
        content = body.get("content", {})
        if list(content) != ["application/json"]:
            return
        schema = content["application/json"].get("schema", {})
        props, required, choice = object_members(schema, resolve)
        sdk_body = [(wire, sig, a) for (where, wire), (sig, a) in args.items() if where == "body"]
        if not props and not choice and sdk_body and untyped(resolve(schema)):
            # The schema gives the body no members (an example at most: `queues.create`,
            # `magic_transit.routes.create`): the SDK's are the body, as a derived operation's.
            op["requestBody"] = dict(body, content={"application/json": {"schema": self.json_body(m)}})
            return
        if choice and len(m["signatures"]) > 1 and nested_choice(schema, resolve):
            # A choice whose alternatives are choices again (`ai.run`: a model's input is a prompt
            # or messages, an image bytes or an object) is beyond what the model types, so it would
            # stay JSON: the SDK's overloads, one object each, are the body.
            split = self.json_body(m, "the 2024 schema's body: a choice of choices")
            if split.get(OVERLOADS):
                op["requestBody"] = dict(body, required=True, content={"application/json": {"schema": split}})
                return
        if choice:
            self.extend_choice(m, op, body, schema, resolve, flatten)
            return
        if not props:
            return
        # A member the schema marks read-only that the SDK sends (a Web3 hostname's `name`, a
        # zone's `paused`) is the SDK's: the schema's description serves answers too.
        writable = {w: s for w, s in props.items() if not resolve(s).get("readOnly")}

        def member(sig, a):
            wire = a.get("wire", a["name"])
            if wire in writable:
                return props[wire], wire in required
            return self.derived_member(sig, a, READ_ONLY if wire in props else None), bool(a.get("required"))
        sent = {wire for wire, _, _ in sdk_body}
        split = self.overloads(m, member, [(w, s, w in required) for w, s in props.items() if w not in sent])
        # Only overloads of the same object split it: one must be the schema's. Where none is,
        # the two describe different bodies and the schema's wins, unless overlay.json corrects
        # the schema (DLP custom profiles' create: the 2024 schema's older batch form).
        if split and any(versions([a.get("wire", a["name"]) for a in sig["args"] if a["in"] == "body"], writable)
                         for sig in m["signatures"]):
            op["requestBody"] = dict(body, required=True, content={"application/json": dict(
                content["application/json"], schema=split)})
            return
        if not versions([wire for wire, _, _ in sdk_body], writable):  # two different bodies: the schema's
            return
        extra = OrderedDict()
        for wire, sig, a in sdk_body:
            if wire not in writable:
                extra[wire] = self.derived_member(sig, a, READ_ONLY if wire in props else None)
        if any(w in props for w in extra):
            # A read-only member made writable: the operation's own copy of the object, so no
            # validator reads the schema's `readOnly` beside the SDK's member.
            merged = OrderedDict((w, extra.pop(w) if w in extra else s) for w, s in props.items())
            merged.update(extra)
            whole = OrderedDict([("type", "object"), ("properties", merged)])
            if required:
                whole["required"] = [w for w in merged if w in required]
            op["requestBody"] = dict(body, content={"application/json": dict(content["application/json"], schema=whole)})
        elif extra:
            op["requestBody"] = dict(body, content={"application/json": dict(
                content["application/json"], schema={"allOf": [schema, {"type": "object", "properties": extra}]})})

    def extend_choice(self, m, op, body, schema, resolve, flatten):
        """A body that is a choice of objects (DNS record kinds, ruleset rule actions, Access
        application types): each alternative gains what the SDK's overload for it sends and the
        alternative lacks (a DNS record's `settings`), and each overload that is none of the
        alternatives becomes one (`x-sdk-class`: DNS's OPENPGPKEY record, Access's infrastructure
        application). An alternative's overload is the SDK class the model names it after
        (`match_alternatives`: by tag value, title or position); failing that, the overload whose
        fixed values (`type: Literal['A']`) agree with the alternative's and that shares most
        members with it. An overload is new only where every alternative was matched to an SDK
        class: otherwise the two sides are not known to correspond (the zone-level identity
        providers' titles name few of the SDK's classes). The choice may be one
        part of an `allOf` whose other parts are members beside it (a ruleset rule's `position`)."""
        top = resolve(schema)
        parts = [top]
        if top.get("allOf") and not top.get("properties") and not top.get("oneOf") and not top.get("anyOf"):
            parts = [resolve(x) for x in top["allOf"]]
        choices = [i for i, x in enumerate(parts) if x.get("oneOf") or x.get("anyOf")]
        if len(choices) != 1 or parts[choices[0]].get("allOf") or parts[choices[0]].get("properties"):
            return
        beside = {w for i, x in enumerate(parts) if i != choices[0] for w in object_members(x, resolve)[0]}
        top = parts[choices[0]]
        key = "oneOf" if top.get("oneOf") else "anyOf"
        sigs = []
        for sig in m["signatures"]:
            args = [a for a in sig["args"] if a["in"] == "body"]
            fixed = {}
            for a in args:
                lit = re.fullmatch(r"Literal\[('|\")(.*)\1\]", a["type"])
                if lit:
                    fixed[a.get("wire", a["name"])] = lit.group(2)
            sigs.append((sig, args, fixed))
        flat = [flatten(alt) for alt in top[key]]
        by_class = {sig.get("params"): (sig, args) for sig, args, _ in sigs}
        named = [t.klass() if t else None for t in
                 match_alternatives(SdkMethods(self.facts).params(m), flat, find_tag(flat, flatten))]
        alts, changed, used = [], False, set()
        for alt, cls in zip(top[key], named):
            props = object_members(alt, resolve)[0]
            writable = {w for w, s in props.items() if not resolve(s).get("readOnly")} | beside
            best = by_class.get(cls) if cls else None
            if best is None:
                values = {}
                for w, s in props.items():
                    e = resolve(s).get("enum")
                    if isinstance(e, list) and len(e) == 1 and isinstance(e[0], str):
                        values[w] = e[0]
                best_score = None
                for sig, args, fixed in sigs:
                    wires = [a.get("wire", a["name"]) for a in args]
                    if any(values.get(w, v) != v for w, v in fixed.items()) or not versions(wires, writable):
                        continue
                    score = (sum(1 for w, v in fixed.items() if values.get(w) == v), sum(1 for w in wires if w in writable))
                    if best_score is None or score > best_score:
                        best, best_score = (sig, args), score
            extra = OrderedDict()
            if best:
                used.add(id(best[0]))
                for a in best[1]:
                    wire = a.get("wire", a["name"])
                    if wire not in writable:
                        extra[wire] = self.derived_member(best[0], a, READ_ONLY if wire in props else None)
            alts.append({"allOf": [alt, {"type": "object", "properties": extra}]} if extra else alt)
            changed = changed or bool(extra)
        if all(named):
            for sig, args, _ in sigs:
                if id(sig) not in used and args and sig.get("params"):
                    alts.append(self.new_alternative(sig))
                    changed = True
        if changed:
            new = OrderedDict((k, v) for k, v in top.items() if k != key)
            new[key] = alts
            if len(parts) > 1:
                new = {"allOf": [new if i == choices[0] else x for i, x in enumerate(resolve(schema)["allOf"])]}
            op["requestBody"] = dict(body, content={"application/json": dict(body["content"]["application/json"], schema=new)})

    def new_alternative(self, sig):
        """An overload no alternative of the schema's choice is, as an alternative of its own: its
        body members as the SDK sends them, marked with its params class (`x-sdk-class`). Its doc
        names the class, not the method, so that create's, update's and edit's are one shape."""
        props, required = self.body_members(sig, lambda s, a: (self.derived_member(s, a), bool(a.get("required"))))
        cls = sig["params"].rpartition(".")[2]
        alt = OrderedDict([("type", "object"), ("title", cls), ("description", (
            "A kind the 2024 schema lacks, as the official SDK's `%s` sends it." % cls)), ("properties", props)])
        if required:
            alt["required"] = required
        alt[SDK_CLASS] = sig["params"]
        alt["x-derived-from"] = DERIVED_FROM
        return alt

    def derive(self, doc, flatten):
        """Adds the derived operations and their components to `doc`; returns them, in SDK order.
        Operations the schema has gain what only the SDK sends (`extend`). `flatten(schema)`: one
        object of a schema of `doc`, its references resolved and its `allOf` merged."""
        added = []
        self.extend(doc, flatten)
        msg = {"type": "object", "required": ["code", "message"],
               "properties": {"code": {"type": "integer"}, "message": {"type": "string"}}}
        self.schemas.components[COMPONENT_PREFIX + "messages"] = {"type": "array", "items": msg}
        self.schemas.components[FAILURE] = {
            "type": "object", "required": ["success", "errors", "messages"],
            "properties": {"errors": {"$ref": "#/components/schemas/" + COMPONENT_PREFIX + "messages"},
                           "messages": {"$ref": "#/components/schemas/" + COMPONENT_PREFIX + "messages"},
                           "result": {"nullable": True}, "success": {"type": "boolean", "enum": [False]}}}
        for m in self.facts.missing(doc):
            for route, twin in self.facts.routes(m):
                item = doc["paths"].setdefault(route, OrderedDict())
                item[m["verb"].lower()] = self.operation(m, route, twin)
                added.append((m, route))
        doc.setdefault("components", {}).setdefault("schemas", {}).update(self.schemas.components)
        return added


def object_members(schema, resolve):
    """(properties, required, is a choice) of an object schema, through allOf (a later part
    refines an earlier one); a oneOf/anyOf anywhere, or another type, makes it a choice."""
    props, required, choice, todo = OrderedDict(), set(), False, [schema]
    while todo:
        part = resolve(todo.pop(0))
        props.update(part.get("properties", {}))
        required |= set(part.get("required", []))
        choice = choice or bool(part.get("oneOf") or part.get("anyOf")) or part.get("type", "object") != "object"
        todo += part.get("allOf", [])
    return props, required, choice


def find_tag(alts, flatten):
    """(property, [value per member]) when every member of a choice (each flattened) fixes that
    property to a distinct string."""
    if len(alts) < 2 or not all(a.get("properties") for a in alts):
        return None
    for key in alts[0]["properties"]:
        vals = []
        for a in alts:
            e = flatten(a["properties"].get(key, {})).get("enum")
            if not (isinstance(e, list) and len(e) == 1 and isinstance(e[0], str)):
                break
            vals.append(e[0])
        else:
            if len(set(vals)) == len(vals):
                return key, vals
    return None


def match_alternatives(sdk, alts, tag):
    """The SDK's class (an SdkType, or None) for each alternative of a schema choice (`alts`, each
    flattened; `tag` as `find_tag` gives it), where `sdk` is the SDK's union at that place. One the
    SDK reader added (`x-sdk-class`) is that class. The others are matched by `SdkType.match`, and
    a match is kept only where the two share at least half the smaller one's properties: an
    alternative matched by position in a differently ordered union would otherwise misname it
    (the smaller: the SDK's class may add newer members). One matched by its tag's value is the
    same kind whatever else the two list (a DNS record's schema also lists its read-only members,
    the SDK's class its path members)."""
    out = [None] * len(alts)
    if sdk is None:
        return out
    rest = [i for i, a in enumerate(alts) if not a.get(SDK_CLASS)]
    rest_tag = (tag[0], [tag[1][i] for i in rest]) if tag else None
    for i, t in zip(rest, sdk.match(len(rest), rest_tag, [alts[i].get("title") for i in rest])):
        out[i] = t
        if t is not None and alts[i].get("properties") and not tag:
            props, wires = set(alts[i]["properties"]), {w for _, w, _ in t.fields()}
            if len(props & wires) * 2 < min(len(props), len(wires)):
                out[i] = None
    for i, a in enumerate(alts):
        if a.get(SDK_CLASS):
            out[i] = sdk_class(sdk.facts, a[SDK_CLASS])
    return out


def sdk_class(facts, ref):
    """The SdkType of class `ref` ('dir/module.Class')."""
    mod, _, name = ref.rpartition(".")
    return SdkType(facts, name, mod)


def nested_choice(schema, resolve):
    """Is `schema` a choice one of whose alternatives is a choice again?"""
    top = resolve(schema)
    return any(resolve(a).get("oneOf") or resolve(a).get("anyOf") for a in top.get("oneOf", []) + top.get("anyOf", []))


def versions(wires, props):
    """Do the SDK's body members `wires` and the schema's `props` describe one object, one a newer
    version of the other? Most of the SDK's are the schema's, or most of the schema's the SDK's
    (`firewall.lockdowns.create`: the schema's two of the SDK's five)."""
    shared = sum(1 for w in wires if w in props)
    return bool(wires) and shared > 0 and (shared * 2 >= len(wires) or shared * 2 >= len(props))


def untyped(schema):
    """Does a body's schema leave its content open (no members, no kind: at most an example)?"""
    return not any(k in schema for k in ("properties", "additionalProperties", "items", "oneOf", "anyOf", "allOf", "enum",
                                         "$ref")) and schema.get("type", "object") == "object"


def read():
    """The SDK's facts, from codegen/sdk-4.3.1.json."""
    return SdkFacts(os.path.join(CODEGEN, "sdk-4.3.1.json"))


def sdk_snake(name, words=()):
    """A class name in snake case, acronyms whole (`IAMCreateMember` -> `iam_create_member`,
    `AAAARecord` -> `aaaa_record`); `words` are mixed-case words kept whole (`SaaS` -> `saas`)."""
    for w in words:
        name = name.replace(w, w[0].upper() + w[1:].lower())
    name = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", name)
    name = re.sub(r"([a-z\d])([A-Z])", r"\1_\2", name)
    return re.sub(r"[^A-Za-z0-9]+", "_", name).strip("_").lower()


class SdkType:
    """A position in the SDK's types: a type as written in one of its modules. The model builder
    walks it beside the schema to take the SDK's names (classes, members) and member order."""

    PEEL = {"Optional", "Required", "NotRequired", "Annotated", "Type"}

    def __init__(self, facts, text, mod):
        self.facts, self.mod = facts, mod
        self.node = ast.parse(text, mode="eval").body if isinstance(text, str) else text

    def _peeled(self):
        n = self.node
        while isinstance(n, ast.Subscript) and ast.unparse(n.value) in self.PEEL:
            n = n.slice.elts[0] if isinstance(n.slice, ast.Tuple) else n.slice
        if isinstance(n, ast.BinOp):  # X | None
            alts = [a for a in (n.left, n.right) if not (isinstance(a, ast.Constant) and a.value is None)]
            if len(alts) == 1:
                n = alts[0]
        return n

    def _named(self):
        """(reference, is a class) for a named type, following aliases to what they stand for."""
        n = self._peeled()
        if not isinstance(n, (ast.Name, ast.Attribute)):
            return None, None
        ref = self.facts.resolve(self.mod, ast.unparse(n))
        if ref in self.facts.classes:
            return ref, True
        if ref in self.facts.aliases:
            return ref, False
        return None, None

    def _alias_target(self):
        ref, is_class = self._named()
        if ref and not is_class:
            return SdkType(self.facts, self.facts.aliases[ref]["type"], ref.rpartition(".")[0])
        return None

    def alias_ref(self):
        """'dir/module.Alias' when this is (an optional of) a named alias (`RecordResponse`, a
        union several calls share), else None."""
        ref, is_class = self._named()
        return ref if ref and not is_class else None

    def klass(self):
        """'dir/module.Class' when this is (an optional of) one class."""
        ref, is_class = self._named()
        if is_class:
            return ref
        t = self._alias_target()
        return t.klass() if t else None

    def _sub(self, heads, index):
        n = self._peeled()
        if isinstance(n, ast.Subscript) and ast.unparse(n.value) in heads:
            args = n.slice.elts if isinstance(n.slice, ast.Tuple) else [n.slice]
            return SdkType(self.facts, args[index], self.mod)
        t = self._alias_target()
        return t._sub(heads, index) if t else None

    def items(self):
        return self._sub(ARRAYS, 0)

    def values(self):
        return self._sub(MAPS, -1)

    def alternatives(self):
        """The members of a union, None left out (Optional is not a choice)."""
        n = self._peeled()
        if isinstance(n, ast.Subscript) and ast.unparse(n.value) == "Union":
            args = n.slice.elts if isinstance(n.slice, ast.Tuple) else [n.slice]
            return [SdkType(self.facts, a, self.mod) for a in args
                    if not (isinstance(a, ast.Constant) and a.value is None)]
        t = self._alias_target()
        return t.alternatives() if t else None

    def literal(self):
        """The values of a `Literal[...]` type, or None."""
        n = self._peeled()
        if isinstance(n, ast.Subscript) and ast.unparse(n.value) == "Literal":
            args = n.slice.elts if isinstance(n.slice, ast.Tuple) else [n.slice]
            return [a.value for a in args if isinstance(a, ast.Constant)]
        t = self._alias_target()
        return t.literal() if t else None

    def match(self, count, tag, titles=()):
        """The SDK's alternatives for a schema union of `count` members: by the tag's values when
        the schema has a tag (property, [value per member]): the SDK may order them otherwise;
        else by position when the counts agree; else by the members' titles, spelled as class
        names (`Self Hosted Application` is `SelfHostedApplication`). [SdkType or None per member]."""
        alts = self.alternatives() or []
        if not tag and len(alts) != count and titles:
            key = lambda t: re.sub(r"[^a-z0-9]", "", (t or "").lower())
            by_name = {key((a.klass() or "").rpartition(".")[2]): a for a in alts}
            return [by_name.get(key(t)) if t else None for t in titles]
        if tag:
            by_value = {}
            for a in alts:
                for _, wire, t in a.fields():
                    if wire == tag[0] and len(t.literal() or []) == 1:
                        by_value.setdefault(t.literal()[0], a)
            return [by_value.get(v) for v in tag[1]]
        return alts if len(alts) == count else [None] * count

    def fields(self):
        """[(SDK name, wire name, SdkType)] of this class, its bases' first."""
        ref = self.klass()
        if not ref:
            return []
        return [(f["name"], f.get("alias", f["name"]), SdkType(self.facts, f["type"], fmod))
                for f, fmod in self.facts.class_fields(ref)]


def contract_name(ref, words=()):
    """(namespace, name) of an SDK class in C++: the module's own class is `<dir>::<module>`, any
    other class `<dir>::<module>_<snake(Class)>`."""
    mod, _, cls = ref.rpartition(".")
    parts = mod.split("/")
    own = sdk_snake(cls, words)
    name = parts[-1] if own == parts[-1] else parts[-1] + "_" + own
    return tuple(parts[:-1]), name


class SdkMethods:
    """The SDK's view of each method, for the model builder: its arguments and its types."""

    def __init__(self, facts):
        self.facts = facts
        self.by_name = {(m["resource"], m["name"]): m for m in facts.methods}

    def method(self, resource, name):
        return self.by_name.get((resource, name))

    def of_ref(self, ref):
        return sdk_class(self.facts, ref)

    def params(self, m):
        """The params class (a union of the overloads' classes when the SDK overloads the method)."""
        refs = [s.get("params") for s in m["signatures"]]
        if not refs or None in refs:
            return None
        if len(refs) == 1:
            return self.of_ref(refs[0])
        mod = refs[0].rpartition(".")[0]
        if any(r.rpartition(".")[0] != mod for r in refs):
            return None
        return SdkType(self.facts, "Union[%s]" % ", ".join(r.rpartition(".")[2] for r in refs), mod)

    def field(self, m, wire):
        """The SdkType of a params field sent under `wire`, or None."""
        p = self.params(m)
        if p is None:
            return None
        alts = p.alternatives()
        if alts:  # overloads: the field as the first overload that has it declares it
            for a in alts:
                for name, w, t in a.fields():
                    if w == wire:
                        return t
            return None
        for name, w, t in p.fields():
            if w == wire:
                return t
        return None

    def result(self, m):
        """The SdkType a method yields (a page's item for listings)."""
        return SdkType(self.facts, *self.facts.result_text(m)) if m.get("result") else None
