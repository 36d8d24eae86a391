"""The model: what the readers' facts become and the writers read.

Field, Struct and Op are the model's parts; TypeMaker turns schemas into C++ types (the Structs)."""
import json
from collections import OrderedDict

from cfgen.names import doc_line, ident, snake, squeeze

class Field:
    nullable = False  # a request member that may be sent as JSON null (`cloudflare::nullable<T>`)
    header = None  # the HTTP header a header parameter's member is sent as
    query_array = None  # how an array query parameter is sent when not repeated (`comma_joined`)

    def __init__(self, json_name, cpp_name, cpp_type, required, doc, schema=None):
        self.json_name, self.cpp_name, self.cpp_type = json_name, cpp_name, cpp_type
        self.required, self.doc = required, doc
        self.schema = schema  # what it was made from (the conformance sweep builds values from it)


class Struct:
    def __init__(self, ns, name, doc, top):
        self.ns, self.name, self.doc, self.top = ns, name, doc, top
        self.fields = []
        self.deps = set()  # (ns, name) of structs this one's fields name
        self.union = None  # (tag key, [tag values], [alternative types]) for a tagged union
        self.base = None  # (ns, name) of the struct this one derives from (same schema)
        self.aliases = []  # other names of this struct (`using`), for reused nested objects


class Op:
    """An operation. read_schema.schema_ops makes one per schema operation (path, verb, spec,
    common_params); the model builder one per generated endpoint, with all it needs to emit it."""


class TypeMaker:
    """Turns schemas into C++ type expressions, registering structs as it goes.

    `stats` counts, per call site, whether anything fell back to a JSON-keeping member."""

    def __init__(self, schema, secrets):
        self.schema = schema
        self.secrets = secrets  # set of (component-or-context, property) marked secret
        self.structs = OrderedDict()  # (ns, name) -> Struct
        self.json_keeping = False
        self.reserved_namespaces = set()
        # id(flattened schema) -> (first top-level struct made from it, that schema). The schema is
        # kept so that its id is not reused: allOf merges are new dicts that die otherwise.
        self.by_schema = {}
        self.aliases = {}  # (ns, wanted name) -> alias name of a reused struct
        self.alias_names = set()
        self.alias_of = {}  # (ns, alias) -> (ns, name) of the struct it names
        self.made = {}  # (ns, name, direction, top, schema as JSON) -> ((ns, name), JSON kept)

    def reset_flags(self):
        self.json_keeping = False

    def unique(self, ns, name):
        name = squeeze(name)
        base, n = name, 2
        while (ns, name) in self.structs or (ns, name) in self.alias_names or (ns + (name,)) in self.reserved_namespaces:
            name = "%s_%d" % (base, n)
            n += 1
        return name

    def type_of(self, s, ns, hint, direction, owner, deps, depth=0):
        """C++ type for schema `s` (required form). direction: 'in' (request) or 'out' (response)."""
        f = self.schema.flatten(s)
        if depth > 12 or "x-recursive" in f:
            self.json_keeping = True
            return "cloudflare::raw_json"
        for key in ("oneOf", "anyOf"):
            if key in f:
                return self.union_of(f, f[key], ns, hint, direction, owner, deps, depth)
        t = f.get("type")
        if isinstance(t, list):
            self.json_keeping = True
            return "cloudflare::raw_json"
        scalar = self.scalar_kind(f, direction)
        if scalar == "std::string" and direction == "out" and self.is_secret("", s):
            return "cloudflare::secret"  # a credential component, wherever it stands (a list of TURN keys)
        if scalar:
            return scalar
        if t == "array":
            items = f.get("items")
            if not items:
                self.json_keeping = True
                return "std::vector<cloudflare::raw_json>"
            return "std::vector<%s>" % self.type_of(items, ns, hint, direction, owner, deps, depth + 1)
        if f.get("properties"):
            return self.struct_for(f, ns, hint, direction, False, deps, depth + 1)
        ap = f.get("additionalProperties")
        if isinstance(ap, dict) and ap:
            return "std::map<std::string, %s>" % self.type_of(ap, ns, hint + "_value", direction, owner, deps, depth + 1)
        self.json_keeping = True
        return "cloudflare::raw_json"

    def union_of(self, f, members, ns, hint, direction, owner, deps, depth):
        """A union: one scalar type if all members are; for requests a std::variant of the
        members (the caller picks one); for responses a tagged union struct when one property
        with a distinct constant tells the members apart, a std::variant when their JSON kinds
        differ, else JSON kept as it came (`raw_json`). A request member also gets the properties
        its parent declares beside the union (magic site app configs: `breakout`, `priority`)."""
        hint = squeeze(hint)
        if direction == "in" and f.get("properties") and f.get("type", "object") == "object":
            members = [{"allOf": [{"properties": f["properties"]}, m]} for m in members]
        alts = [self.schema.flatten(a) for a in members]
        kinds = [self.scalar_kind(a, direction) for a in alts]
        if len(set(kinds)) == 1 and None not in kinds:
            return kinds[0]
        tag = self.find_tag(alts)
        names = []
        for i, a in enumerate(alts):
            n = snake(tag[1][i]) if tag else snake(a.get("title", "")) if a.get("title") else "variant_%d" % (i + 1)
            while n in names:
                n += "_"
            names.append(n)
        if depth > 1:
            # Unions inside unions (Access applications, rulesets) multiply the types a call
            # instantiates beyond what compile time allows: a nested union keeps its JSON.
            self.json_keeping = True
            return "cloudflare::raw_json"
        saved = self.json_keeping
        types = [self.type_of(m, ns, hint + "_" + names[i], direction, owner, deps, depth + 1) for i, m in enumerate(members)]
        # Told apart by the structs they name: an alias names the struct it stands for.
        distinct = len(set(map(self.canonical, types))) == len(types) and "cloudflare::raw_json" not in types
        if direction == "in" and distinct:
            self.json_keeping = saved
            return "std::variant<%s>" % ", ".join(types)
        if direction == "out" and tag and distinct and all(t.startswith("cloudflare::") for t in types):
            self.json_keeping = saved
            name = self.unique(ns, hint) if (ns, hint) not in self.structs else hint
            if (ns, name) in self.structs:
                deps.add((ns, name))
                self.last_key = (ns, name)
                return "::".join(("cloudflare",) + ns + (name,))
            st = Struct(ns, name, doc_line(f.get("description") or f.get("title")) or "One of several kinds, told apart by `%s`." % tag[0], True)
            st.union = (tag[0], tag[1], types)
            st.deps.update(self.canonical(t) for t in types)
            self.structs[(ns, name)] = st
            deps.add((ns, name))
            self.last_key = (ns, name)
            return "::".join(("cloudflare",) + ns + (name,))
        kinds_json = [self.json_kind(a) for a in alts]
        if direction == "out" and distinct and None not in kinds_json and len(set(kinds_json)) == len(kinds_json):
            self.json_keeping = saved
            return "std::variant<%s>" % ", ".join(types)
        self.json_keeping = True
        return "cloudflare::raw_json"

    def canonical(self, t):
        """The struct a C++ type names, seeing through a reused struct's alias."""
        parts = t.split("::")
        if parts[0] != "cloudflare" or "<" in t:
            return t
        k = (tuple(parts[1:-1]), parts[-1])
        return self.alias_of.get(k, k)

    def find_tag(self, alts):
        """(property, [value per member]) when every member fixes that property to a distinct string."""
        if len(alts) < 2 or not all(a.get("properties") for a in alts):
            return None
        for key in alts[0]["properties"]:
            vals = []
            for a in alts:
                p = self.schema.flatten(a["properties"].get(key, {}))
                e = p.get("enum")
                if not (isinstance(e, list) and len(e) == 1 and isinstance(e[0], str)):
                    break
                vals.append(e[0])
            else:
                if len(set(vals)) == len(vals):
                    return key, vals
        return None

    def json_kind(self, f):
        t = f.get("type") or ("object" if f.get("properties") else "string" if "enum" in f else None)
        return {"integer": "number"}.get(t, t) if not (f.get("oneOf") or f.get("anyOf")) else None

    def scalar_kind(self, f, direction):
        t = f.get("type")
        if t is None and "enum" in f and all(isinstance(e, str) for e in f["enum"]):
            t = "string"
        if t == "string":
            if f.get("format") == "date-time":
                return "cloudflare::timestamp" if direction == "out" else "cloudflare::date_time"
            if f.get("format") == "binary":
                return None
            return "std::string"
        if t == "integer":
            return "std::int64_t"
        if t == "number":
            return "double"
        if t == "boolean":
            return "bool"
        return None

    def struct_for(self, f, ns, name, direction, top, deps, depth=0, existing=False):
        """The struct for object schema `f`, made or reused. Reused, in this order: the SDK's
        type of that name when `existing` (a return type several calls share), then a struct
        already made from the same schema: the same schema under the same name (DNS records'
        five calls each inline the record union) is one struct, not five numbered copies, and a
        nested object reuses an identical one in its namespace (each record kind's `meta`; the
        record kinds of DNS create, update and edit), its own name kept as an alias. One type,
        not three copies: a TU parses and instantiates it (and a union of 20 of them) once."""
        name = squeeze(name)
        if existing and (ns, name) in self.structs:
            self.structs[(ns, name)].top = self.structs[(ns, name)].top or top
            return self.use(ns, name, (ns, name), deps)
        memo_key = (ns, None if not top else name, direction, top, json.dumps(f, default=str))
        if memo_key in self.made:
            made, keeping = self.made[memo_key]
            self.json_keeping = self.json_keeping or keeping
            if made[1] == name or existing:
                return self.use(made[0], made[1], made, deps)
            return self.use(ns, self.alias_for(ns, name, made), made, deps)
        saved_keeping, self.json_keeping = self.json_keeping, False
        result = self._new_struct(f, ns, name, direction, top, deps, depth)
        self.made[memo_key] = (self.last_key, self.json_keeping)
        self.json_keeping = self.json_keeping or saved_keeping
        return result

    def use(self, ns, spelled, key, deps):
        """Records struct `key` as used and names it (by itself or by an alias of it)."""
        deps.add(key)
        self.last_key = key
        return "::".join(("cloudflare",) + ns + (spelled,))

    def alias_for(self, ns, name, made):
        """A reused struct's other name, kept usable as a `using` alias."""
        alias = self.aliases.get((ns, name))
        if alias is None:
            alias = self.unique(ns, name)
            self.aliases[(ns, name)] = alias
            self.alias_names.add((ns, alias))
            self.alias_of[(ns, alias)] = made
            self.structs[made].aliases.append(alias)
        return alias

    def _new_struct(self, f, ns, name, direction, top, deps, depth):
        name = self.unique(ns, name)
        st = Struct(ns, name, doc_line(f.get("description") or f.get("title")), top)
        st.base = None
        same = self.by_schema.get(id(f), (None,))[0] if top else None
        if same and self.structs[same].top and self.structs[same].base is None:
            # Another SDK type for the very same schema (rotate's and create's results): derive,
            # so the two stay one shape and convert as they do in the SDK.
            st.base = same
            st.deps.add(same)
            st.doc = self.structs[same].doc
            self.structs[(ns, name)] = st
            deps.add((ns, name))
            self.last_key = (ns, name)
            return "::".join(("cloudflare",) + ns + (name,))
        if top:
            self.by_schema.setdefault(id(f), ((ns, name), f))
        self.structs[(ns, name)] = st  # reserved before the fields (nested names derive from it)
        required = set(f.get("required", []))
        used = set(["raw", "warnings"] if top else [])
        for pname, pschema in f.get("properties", {}).items():
            pf = self.schema.flatten(pschema)
            if direction == "in" and pf.get("readOnly"):
                continue  # response-only (DNS records list id, created_on... as required)
            cname = ident(pname)
            if cname == name:
                cname += "_"
            while cname in used:
                cname += "_"
            used.add(cname)
            ctype = self.type_of(pschema, ns, name + "_" + snake(pname), direction, st, st.deps, depth)
            if direction == "out" and ctype == "std::string" and self.is_secret(pname, pschema):
                ctype = "cloudflare::secret"
            req = pname in required and not pf.get("nullable") and not (direction == "out" and ctype == "cloudflare::raw_json")
            st.fields.append(Field(pname, cname, ctype, req, doc_line(pf.get("description")), pschema))
            st.fields[-1].nullable = direction == "in" and bool(pf.get("nullable"))
        # Move to the end: dependencies are emitted first.
        del self.structs[(ns, name)]
        self.structs[(ns, name)] = st
        deps.add((ns, name))
        self.last_key = (ns, name)
        return "::".join(("cloudflare",) + ns + (name,))

    def is_secret(self, pname, pschema):
        """Is response property `pname` (schema `pschema`) a credential? (See read_secrets.)"""
        if not isinstance(pschema, dict):
            return False
        ref = pschema.get("$ref", "").split("/")[-1]
        return pname in self.secrets["fields"] or ref in self.secrets["components"] or \
            bool(pschema.get("x-cf-secret") or self.schema.flatten(pschema).get("x-cf-secret"))

    def secret_paths(self, s, path, depth=0, seen=()):
        """JSON paths of the credentials inside a response value of schema `s`, from `path`:
        `.name` for a member, `[]` for the items of an array, `{}` for the values of a map."""
        if depth > 12 or not isinstance(s, dict):
            return []
        if "$ref" in s:
            if s["$ref"] in seen:
                return []
            seen = seen + (s["$ref"],)
        f = self.schema.flatten(s)
        out = []
        for key in ("oneOf", "anyOf"):
            for alt in f.get(key, []):
                out += self.secret_paths(alt, path, depth + 1, seen)
        inner = [(pname, pschema, path + "." + pname) for pname, pschema in f.get("properties", {}).items()]
        for key, mark in (("items", "[]"), ("additionalProperties", "{}")):
            if isinstance(f.get(key), dict):
                inner.append(("", f[key], path + mark))
        for pname, pschema, at in inner:
            if self.is_secret(pname, pschema):
                out.append(at)
            else:
                out += self.secret_paths(pschema, at, depth + 1, seen)
        return list(OrderedDict.fromkeys(out))
