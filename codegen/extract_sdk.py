#!/usr/bin/env python3
"""Extracts facts from the official Python SDK's source: the generator's second input.

Usage (Python 3 standard library only; deterministic):

    git clone --depth 1 --branch v4.3.1 https://github.com/cloudflare/cloudflare-python /tmp/cf-py
    python3 codegen/extract_sdk.py /tmp/cf-py            # writes codegen/sdk-4.3.1.json
    python3 codegen/extract_sdk.py /tmp/cf-py --check    # exit 1 if the committed extract differs

It reads `src/cloudflare/_client.py`, `resources/**` and `types/**` with `ast` (nothing is
imported or run) and keeps facts only: for every method the client tree reaches, its resource
path, name, HTTP method, route, arguments in keyword order with where each goes (path, query,
header, JSON body, multipart part or file) and its wire name, the params class, paging class and
return type; for every types module reached, its classes' fields (name, type as written, required,
wire alias, union discriminator) and type aliases. No source text, docstring or comment is kept.
"""
import ast
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "sdk-4.3.1.json")
SDK = {"repository": "cloudflare/cloudflare-python", "tag": "v4.3.1",
       "commit": "ac1ae1cb4fe55b6b9493500d82d7b5267da3535f", "license": "Apache-2.0"}
VERBS = {"_get": "GET", "_post": "POST", "_put": "PUT", "_patch": "PATCH", "_delete": "DELETE",
         "_get_api_list": None}  # _get_api_list takes method= (GET unless stated)
# Keyword arguments every method has for the transport, not the API.
TRANSPORT_ARGS = {"extra_headers", "extra_query", "extra_body", "timeout"}
SCOPED = "/{accounts_or_zones}/{account_or_zone_id}"  # sdk-names.tsv's spelling of the twin routes


class Source:
    """The SDK's modules, parsed on demand, and name resolution across their imports."""

    def __init__(self, root):
        self.root = os.path.join(root, "src")
        self.trees = {}

    def path(self, mod):
        base = os.path.join(self.root, *mod.split("."))
        for p in (base + ".py", os.path.join(base, "__init__.py")):
            if os.path.exists(p):
                return p
        return None

    def tree(self, mod):
        if mod not in self.trees:
            p = self.path(mod)
            self.trees[mod] = ast.parse(open(p, encoding="utf-8").read()) if p else None
        return self.trees[mod]

    def is_package(self, mod):
        p = self.path(mod)
        return p is not None and p.endswith("__init__.py")

    def absolute(self, mod, node):
        """The module an ImportFrom in `mod` names."""
        if not node.level:
            return node.module
        parts = mod.split(".")
        keep = len(parts) - node.level + (1 if self.is_package(mod) else 0)
        base = parts[:keep]
        return ".".join(base + ([node.module] if node.module else []))

    def imports(self, mod):
        """name -> (module, original name) for every `from … import …` in the module, at any depth."""
        out = {}
        for node in ast.walk(self.tree(mod)):
            if isinstance(node, ast.ImportFrom):
                src = self.absolute(mod, node)
                for a in node.names:
                    out[a.asname or a.name] = (src, a.name)
        return out

    def resolve(self, mod, name, depth=0):
        """(module, class node) where `name`, as seen from `mod`, is defined."""
        t = self.tree(mod)
        if t is None or depth > 8:
            return None
        for node in t.body:
            if isinstance(node, ast.ClassDef) and node.name == name:
                return mod, node
        imp = self.imports(mod).get(name)
        if imp:
            src, orig = imp
            if self.tree(src) is not None:
                return self.resolve(src, orig, depth + 1)
            # `from . import x_params` names a module, not a class.
        return None


def unparse(node):
    return ast.unparse(node) if node is not None else None


def property_info(node):
    """alias / discriminator / format from PropertyInfo(...) or FieldInfo(...) keywords."""
    out = {}
    for kw in node.keywords:
        if kw.arg in ("alias", "discriminator", "format") and isinstance(kw.value, ast.Constant):
            out[kw.arg] = kw.value.value
    return out


def strip_annotation(ann):
    """(type without Required/NotRequired/Annotated wrappers, required flag or None, extras)."""
    required, extras = None, {}
    while isinstance(ann, ast.Subscript) and isinstance(ann.value, ast.Name):
        head = ann.value.id
        if head in ("Required", "NotRequired"):
            required = head == "Required"
            ann = ann.slice
        elif head == "Annotated" and isinstance(ann.slice, ast.Tuple):
            for meta in ann.slice.elts[1:]:
                if isinstance(meta, ast.Call):
                    extras.update(property_info(meta))
            ann = ann.slice.elts[0]
        else:
            break
    return ann, required, extras


class TypesReader:
    """Classes and aliases of every `types` module a method reaches, with the modules they import."""

    def __init__(self, src):
        self.src = src
        self.modules = {}

    def key(self, mod):
        return mod[len("cloudflare.types."):].replace(".", "/") if mod.startswith("cloudflare.types.") else None

    def add(self, mod):
        key = self.key(mod)
        if key is None or key in self.modules or self.src.tree(mod) is None:
            return
        entry = {"classes": [], "aliases": [], "imports": {}}
        self.modules[key] = entry
        for name, (src, orig) in sorted(self.src.imports(mod).items()):
            if self.key(src) is None:
                continue
            if self.src.tree(src + "." + orig) is not None:  # a module: `from . import x_params`
                entry["imports"][name] = self.key(src + "." + orig)
                self.add(src + "." + orig)
            else:  # a class or alias: "dir/module.Name"
                entry["imports"][name] = self.key(src) + "." + orig
        local = {n.name for n in self.src.tree(mod).body if isinstance(n, ast.ClassDef)}
        local |= {n.targets[0].id for n in self.src.tree(mod).body if isinstance(n, ast.Assign)
                  and isinstance(n.targets[0], ast.Name)}
        for node in self.src.tree(mod).body:
            if isinstance(node, ast.ClassDef):
                entry["classes"].append(self.klass(node, key, local, entry["imports"]))
            elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) \
                    and unparse(node.value.func) == "TypedDict":  # functional form: keys that are Python keywords
                entry["classes"].append(self.functional(node.targets[0].id, node.value))
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) \
                    and unparse(node.annotation) == "TypeAlias":
                entry["aliases"].append(self.alias(node.target.id, node.value))
            elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name) \
                    and node.targets[0].id != "__all__" and not node.targets[0].id.startswith("_"):
                entry["aliases"].append(self.alias(node.targets[0].id, node.value))
        for src, _ in self.src.imports(mod).values():
            if src.startswith("cloudflare.types."):
                self.add(src)

    def alias(self, name, value):
        t, _, extras = strip_annotation(value)
        out = {"name": name, "type": unparse(t)}
        out.update(extras)
        return out

    def functional(self, name, call):
        """`X = TypedDict("X", {"in": List[str]}, total=False)`."""
        total = not any(k.arg == "total" and isinstance(k.value, ast.Constant) and not k.value.value
                        for k in call.keywords)
        fields = []
        for k, v in zip(call.args[1].keys, call.args[1].values):
            t, req, extras = strip_annotation(v)
            f = {"name": k.value, "type": unparse(t)}
            if (req if req is not None else total):
                f["required"] = True
            f.update(extras)
            fields.append(f)
        return {"name": name, "kind": "params", "fields": fields}

    def klass(self, node, key, local, imports):
        bases = [unparse(b) for b in node.bases]
        # Bases that are types of the SDK (`PatchARecord(ARecordParam)`): their fields come first.
        own = [self.base_ref(b, key, local, imports) for b in bases
               if b not in ("TypedDict", "BaseModel", "GenericModel") and not b.startswith("Generic[")]
        typed_dict = any(b.startswith("TypedDict") for b in bases) or (
            bool(own) and any(k.arg == "total" for k in node.keywords)) or self.base_is_params(own)
        total = True
        for kw in node.keywords:
            if kw.arg == "total" and isinstance(kw.value, ast.Constant):
                total = bool(kw.value.value)
        fields = []
        for st in node.body:
            if not (isinstance(st, ast.AnnAssign) and isinstance(st.target, ast.Name)):
                continue
            t, req, extras = strip_annotation(st.annotation)
            if typed_dict:
                required = req if req is not None else total
            else:  # pydantic model: a default (None, or FieldInfo(default=…)) makes it optional
                required = st.value is None
                if isinstance(st.value, ast.Call):
                    extras.update(property_info(st.value))
                    required = not any(k.arg == "default" for k in st.value.keywords)
            f = {"name": st.target.id, "type": unparse(t)}
            if required:
                f["required"] = True
            f.update(extras)
            fields.append(f)
        out = {"name": node.name, "kind": "params" if typed_dict else "model", "fields": fields}
        if own:
            out["bases"] = own
        return out

    @staticmethod
    def base_ref(base, key, local, imports):
        if base in local:
            return key + "." + base
        head, _, tail = base.partition(".")
        if tail and head in imports:  # `a_record.ARecord`: a class of an imported module
            return imports[head] + "." + tail
        return imports.get(base)

    def base_is_params(self, refs):
        """Whether a class deriving from `refs` is a TypedDict (its bases are, wherever they stand)."""
        for ref in refs:
            if not ref:
                continue
            mod, _, name = ref.rpartition(".")
            tree = self.src.tree("cloudflare.types." + mod.replace("/", "."))
            for n in tree.body if tree else []:
                if isinstance(n, ast.ClassDef) and n.name == name:
                    return any(unparse(b).startswith("TypedDict") for b in n.bases) or self.base_is_params(
                        [mod + "." + unparse(b) for b in n.bases])
                if isinstance(n, ast.Assign) and isinstance(n.targets[0], ast.Name) and n.targets[0].id == name:
                    return True
        return False


def call_dict_keys(node):
    """Keys of the dict literal a `maybe_transform({...}, X)` / `deepcopy_minimal({...})` wraps."""
    if isinstance(node, ast.Call) and node.args:
        node = node.args[0]
        if isinstance(node, ast.Call) and node.args:  # maybe_transform(deepcopy_minimal({...}))
            node = node.args[0]
    if isinstance(node, ast.Dict):
        return [k.value for k in node.keys if isinstance(k, ast.Constant)]
    if isinstance(node, ast.Name):
        return node.id  # the whole value of one argument (an array body, a raw body)
    return None


class MethodReader:
    """One resource method: its signatures (several when the SDK overloads it) and its request."""

    def __init__(self, src, types, mod):
        self.src, self.types, self.mod = src, types, mod
        self.imports = src.imports(mod)

    def type_ref(self, dotted):
        """'service_token_create_params.ServiceTokenCreateParams' -> 'zero_trust/access/…Params'."""
        head, _, rest = dotted.partition(".")
        imp = self.imports.get(head)
        if not imp:
            return None
        src, orig = imp
        if rest:  # `from ..types.x import y_params` then y_params.Class
            mod = src + "." + orig
            self.types.add(mod)
            return self.types.key(mod) + "." + rest if self.types.key(mod) else None
        self.types.add(src)
        k = self.types.key(src)
        return k + "." + orig if k else None

    def read(self, resource, fn_nodes):
        impl = fn_nodes[-1]
        overloads = [f for f in fn_nodes if any(unparse(d) == "overload" for d in f.decorator_list)]
        call, locals_ = self.request_call(impl)
        if call is None:
            return None
        m = {"resource": resource, "name": impl.name}
        verb = VERBS[call.func.attr]
        kw = {k.arg: k.value for k in call.keywords}
        options = kw.get("options")
        opts = {k.arg: k.value for k in options.keywords} if isinstance(options, ast.Call) else {}
        if verb is None:
            verb = kw["method"].value.upper() if "method" in kw else "GET"
        m["verb"] = verb
        m["route"], path_names = self.route(call.args[0], impl)
        where = {n: "path" for n in path_names}
        query = call_dict_keys(opts.get("query"))
        body = call_dict_keys(kw.get("body"))
        if body == "body" and "body" in locals_:
            body = locals_["body"]
        headers = self.header_args(impl)
        files = locals_.get("files")
        constant = self.const_headers(impl)
        multipart = constant.get("Content-Type", "").startswith("multipart/")
        for k in query if isinstance(query, list) else []:
            where.setdefault(k, "query")
        for k, wire in headers.items():
            where.setdefault(k, ("header", wire))
        if isinstance(body, list):
            for k in body:
                where.setdefault(k, "part" if multipart else "body")
        elif isinstance(body, str):
            where.setdefault(body, "whole_body")
        for k in files or []:
            where[k] = "file"
        if files is None and isinstance(kw.get("files"), ast.Name):  # files=files: a map of file parts
            where[kw["files"].id] = "files"
        if multipart:
            m["content"] = "multipart"
        elif "body" in kw or "content" in kw:
            m["content"] = "json" if "body" in kw else "raw"
        accept = constant.get("Accept")
        if accept:
            m["accept"] = accept
        page = kw.get("page")
        if page is not None:
            m["page"] = unparse(page.value if isinstance(page, ast.Subscript) else page).replace("Sync", "", 1)
        m["returns"] = unparse(impl.returns)
        if "post_parser" in opts or page is not None:  # ResultWrapper / a page: Cloudflare's envelope
            m["envelope"] = True
        ret = impl.returns  # `SyncSinglePage[X]` yields X; `Optional[X]` is X or null
        if page is not None and isinstance(ret, ast.Subscript):
            ret = ret.slice
        m["result"] = self.result_type(ret)
        params_class = self.params_class(kw, opts)
        signatures = overloads or [impl]
        union = self.union_members(params_class) if overloads else None
        m["signatures"] = []
        for i, fn in enumerate(signatures):
            sig = {"args": self.args(fn, where)}
            if union and len(union) == len(signatures):
                sig["params"] = union[i]
            elif params_class:
                sig["params"] = params_class
            m["signatures"].append(sig)
        for sig in m["signatures"]:
            self.wire_names(sig)
        return m

    def request_call(self, fn):
        """The `return self._get(…)` call, and what the body assigns to `files` (multipart paths)."""
        locals_ = {}
        for node in ast.walk(fn):
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name) \
                    and node.targets[0].id == "body":  # body = deepcopy_minimal({...}) before a multipart call
                locals_["body"] = call_dict_keys(node.value)
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name) \
                    and node.targets[0].id == "files" and isinstance(node.value, ast.Call):
                for kw in node.value.keywords:
                    if kw.arg == "paths" and isinstance(kw.value, ast.List):
                        locals_["files"] = [p.elts[0].value for p in kw.value.elts
                                            if isinstance(p, ast.List) and p.elts and isinstance(p.elts[0], ast.Constant)]
        for node in ast.walk(fn):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "self" \
                    and node.func.attr in VERBS:
                return node, locals_
        return None, locals_

    def route(self, node, fn):
        """The route template, with sdk-names.tsv's spelling for the account-or-zone twins."""
        if isinstance(node, ast.Constant):
            return node.value, []
        parts, names = [], []
        for v in node.values:
            if isinstance(v, ast.Constant):
                parts.append(v.value)
            else:
                name = unparse(v.value)
                names.append(name)
                parts.append("{" + name + "}")
        route = "".join(parts)
        route = route.replace("/{account_or_zone}/{account_or_zone_id}", SCOPED)
        names = [n for n in names if n not in ("account_or_zone", "account_or_zone_id")]
        if SCOPED in route:
            names += ["account_id", "zone_id"]
        return route, names

    def const_headers(self, fn):
        out = {}
        for node in ast.walk(fn):
            if isinstance(node, ast.Dict):
                for k, v in zip(node.keys, node.values):
                    if isinstance(k, ast.Constant) and isinstance(v, ast.Constant) and isinstance(k.value, str) \
                            and k.value in ("Content-Type", "Accept"):
                        out[k.value] = v.value
        return out

    def header_args(self, fn):
        """Arguments sent as headers: `{"cf-r2-jurisdiction": str(jurisdiction) if is_given(…)}`."""
        out = {}
        for node in ast.walk(fn):
            if isinstance(node, ast.Call) and unparse(node.func) == "strip_not_given" and node.args \
                    and isinstance(node.args[0], ast.Dict):
                for k, v in zip(node.args[0].keys, node.args[0].values):
                    names = [n.id for n in ast.walk(v) if isinstance(n, ast.Name)
                             and n.id not in ("str", "is_given", "NOT_GIVEN", "NotGiven")]
                    if isinstance(k, ast.Constant) and names:
                        out[names[0]] = k.value
        return out

    def args(self, fn, where):
        a = fn.args
        positional = a.posonlyargs + a.args
        defaults = [None] * (len(positional) - len(a.defaults)) + list(a.defaults)
        pairs = list(zip(positional, defaults)) + list(zip(a.kwonlyargs, a.kw_defaults))
        out = []
        for arg, default in pairs:
            if arg.arg == "self" or arg.arg in TRANSPORT_ARGS:
                continue
            t = unparse(arg.annotation) or ""
            t = re.sub(r"\s*\|\s*NotGiven$", "", t)
            loc = where.get(arg.arg, "body")
            entry = {"name": arg.arg, "type": t}
            if default is None:
                entry["required"] = True
            if arg in positional:
                entry["positional"] = True
            if isinstance(loc, tuple):
                entry["in"], entry["wire"] = loc
            else:
                entry["in"] = loc
            out.append(entry)
        return out

    def params_class(self, kw, opts):
        for node in (kw.get("body"), opts.get("query")):
            if isinstance(node, ast.Call) and len(node.args) > 1:
                return self.type_ref(unparse(node.args[1]))
        return None

    def union_members(self, ref):
        """The params union's members, in order: an overload's params class is the member at its index."""
        if not ref:
            return None
        mod, _, name = ref.rpartition(".")
        for a in self.types.modules.get(mod, {}).get("aliases", []):
            if a["name"] == name and a["type"].startswith("Union["):
                inner = a["type"][len("Union["):-1]
                return [mod + "." + x.strip() for x in inner.split(",")]
        return None

    def result_type(self, node):
        """The type the method yields (page item for paged calls), as 'module.Class' where resolvable."""
        if node is None:
            return None
        text = unparse(node)
        for name in sorted(set(re.findall(r"\b[A-Z][A-Za-z0-9_]*\b", text))):
            if name in self.imports and name not in ("Optional", "List", "Dict", "Type", "Union", "ResultWrapper"):
                ref = self.type_ref(name)
                if ref:
                    text = re.sub(r"\b%s\b" % name, ref, text)
        return text

    def wire_names(self, sig):
        """JSON/query names come from the params class's aliases; the argument name otherwise."""
        aliases = {}
        ref = sig.get("params")
        if ref:
            mod, _, name = ref.rpartition(".")
            for c in self.types.modules.get(mod, {}).get("classes", []):
                if c["name"] == name:
                    aliases = {f["name"]: f["alias"] for f in c["fields"] if "alias" in f}
        for a in sig["args"]:
            if a["in"] in ("query", "body", "part") and a["name"] in aliases:
                a["wire"] = aliases[a["name"]]


class Walker:
    """The client tree: `client.a.b` attributes down to the methods, in the SDK's order."""

    SKIP = {"with_raw_response", "with_streaming_response"}

    def __init__(self, src):
        self.src = src
        self.types = TypesReader(src)
        self.methods = []

    def walk(self):
        found = self.src.resolve("cloudflare._client", "Cloudflare")
        self.visit("cloudflare._client", found[1], [])
        return self.methods

    def visit(self, mod, cls, path):
        by_name = {}
        for node in cls.body:
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_") and node.name not in self.SKIP:
                by_name.setdefault(node.name, []).append(node)
        for name, nodes in by_name.items():
            fn = nodes[-1]
            if any(unparse(d) == "cached_property" for d in fn.decorator_list):
                child = unparse(fn.returns)
                found = self.src.resolve(mod, child)
                if found is None and "." in child:  # `devices.DevicesResource`: a module imported by name
                    head, _, child = child.rpartition(".")
                    src_mod, orig = self.src.imports(mod).get(head, (None, None))
                    if src_mod:
                        found = self.src.resolve(src_mod + "." + orig, child) or self.src.resolve(src_mod, child)
                if found is None:  # imported inside the function body
                    for node in ast.walk(fn):
                        if isinstance(node, ast.ImportFrom) and any(a.name == child for a in node.names):
                            found = self.src.resolve(self.src.absolute(mod, node), child)
                if found and child.endswith("Resource"):
                    self.visit(found[0], found[1], path + [name])
            elif path:
                m = MethodReader(self.src, self.types, mod).read(".".join(path), nodes)
                if m is not None:
                    m["file"] = os.path.relpath(self.src.path(mod), os.path.dirname(self.src.root))
                    self.methods.append(m)


def extract(root):
    src = Source(root)
    w = Walker(src)
    methods = w.walk()
    doc = {"about": "Facts extracted by codegen/extract_sdk.py from the official Python SDK's source "
                    "(no source text). Read by codegen/generate.py.",
           "sdk": SDK, "methods": methods,
           "types": {k: w.types.modules[k] for k in sorted(w.types.modules)}}
    # One method or module per line: diffs between SDK versions stay readable.
    lines = ["{"]
    for key in ("about", "sdk"):
        lines.append("  %s: %s," % (json.dumps(key), json.dumps(doc[key], sort_keys=True)))
    lines.append('  "methods": [')
    lines.append(",\n".join("    " + json.dumps(m) for m in methods))
    lines.append("  ],")
    lines.append('  "types": {')
    lines.append(",\n".join("    %s: %s" % (json.dumps(k), json.dumps(v)) for k, v in doc["types"].items()))
    lines.append("  }")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if len(args) != 1:
        print(__doc__.strip().split("\n\n")[1])
        return 2
    text = extract(args[0])
    if "--check" in sys.argv:
        old = open(OUT, encoding="utf-8").read() if os.path.exists(OUT) else None
        if old != text:
            print("codegen/sdk-4.3.1.json differs from what the SDK source gives")
            return 1
        return 0
    with open(OUT, "w", encoding="utf-8") as fh:
        fh.write(text)
    n = len(json.loads(text)["methods"])
    print("%d methods, %d types modules -> %s" % (n, len(json.loads(text)["types"]), os.path.relpath(OUT)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
