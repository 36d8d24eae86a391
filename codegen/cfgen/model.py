"""The model: what the readers' facts become and the writers read.

ModelBuilder takes the readers' facts (read_schema.Inputs) and returns a Model: the endpoints per
header, each an Op with its Fields, and the Structs their types name, made by TypeMaker. A second
reader (facts from the official Python SDK) is to hand its facts to ModelBuilder beside these;
the writers read the Model and change nothing in it."""
import json
import re
from collections import OrderedDict

from cfgen.names import ONE_OF, doc_line, ident, named_as_parent, norm_route, snake, squeeze, type_path, union_alternatives
from cfgen.read_sdk import COMPONENT_PREFIX, OVERLOADS, SDK_CLASS, SdkMethods, contract_name, find_tag, match_alternatives


class Field:
    nullable = False  # a request member that may be sent as JSON null (`cloudflare::nullable<T>`)
    header = None  # the HTTP header a header parameter's member is sent as
    query_array = None  # how an array query parameter is sent when not repeated (`comma_joined`)
    derived = False  # what only the SDK sends on an operation the schema has (`x-derived-from`)

    def __init__(self, json_name, cpp_name, cpp_type, required, doc, schema=None):
        self.json_name, self.cpp_name, self.cpp_type = json_name, cpp_name, cpp_type
        self.required, self.doc = required, doc
        self.schema = schema  # what it was made from (the conformance sweep builds values from it)


def mark_sdk_only(field, spec):
    """Marks a member only the SDK lists (`x-derived-from` on the spec it was made from): it is
    `derived`, and its doc, which the SDK's facts cannot give, says so."""
    if spec.get("x-derived-from"):
        field.derived = True
        field.doc = field.doc or "sent as the official SDK sends it (not in the 2024 schema)"
    return field


def cpp_field_type(f):
    """The C++ type Field `f` is declared with: `std::optional` unless required, `nullable` when
    it may be sent as JSON null."""
    t = f.cpp_type
    if f.nullable:
        return "cloudflare::nullable<%s>" % t
    if not f.required and not t.startswith("std::optional<"):
        t = "std::optional<%s>" % t
    return t


class Struct:
    def __init__(self, ns, name, doc, top):
        self.ns, self.name, self.doc, self.top = ns, name, doc, top
        self.fields = []
        self.deps = set()  # (ns, name) of structs this one's fields name
        self.union = None  # (tag key, [tag values], [alternative types]) for a tagged union
        self.base = None  # (ns, name) of the struct this one derives from (same schema)
        self.aliases = []  # other names of this struct (`using`), for reused nested objects
        # An SDK overload's params class: the method's path, query and header members (`prefix`),
        # beside the body's own (`fields`, all the JSON has); the method (Op) it was first made
        # for; and the order the SDK's overload class declares them in (member names).
        self.prefix, self.overload_of, self.sdk_order = None, None, []
        self.sdk_own = None  # the SDK class whose own description (`title`) it was made from


class Op:
    """An operation. read_schema.schema_ops makes one per schema operation (path, verb, spec,
    common_params); the model builder one per generated endpoint, with all it needs to emit it."""
    overloads = None  # the SDK's overload params classes (C++ types) the params variant holds
    params_aliases = ()  # names of the SDK's overload classes that are all this params struct


class TypeMaker:
    """Turns schemas into C++ type expressions, registering structs as it goes.

    `stats` counts, per call site, whether anything fell back to a JSON-keeping member."""

    def __init__(self, schema, secrets, words=()):
        self.schema = schema
        self.words = words  # mixed-case words an SDK class name keeps whole (annotations.json)
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
        self.by_sdk_union = {}  # SDK alias ('dns/record_response.RecordResponse') -> the tagged union Struct made for it
        # The SDK's own class descriptions (derived components), by identity: `shape` leaves their names out.
        self.sdk_classes = {id(c) for n, c in schema.components.items() if n.startswith(COMPONENT_PREFIX)}

    def reset_flags(self):
        self.json_keeping = False

    def unique(self, ns, name):
        name = squeeze(name)
        base, n = name, 2
        while (ns, name) in self.structs or (ns, name) in self.alias_names or (ns + (name,)) in self.reserved_namespaces:
            name = "%s_%d" % (base, n)
            n += 1
        return name

    def type_of(self, s, ns, hint, direction, owner, deps, depth=0, sdk=None):
        """C++ type for schema `s` (required form). direction: 'in' (request) or 'out' (response).
        `sdk` is the SDK's type at the same place (an SdkType, or None): it names the structs."""
        f = self.schema.flatten(s)
        if depth > 12 or "x-recursive" in f:
            self.json_keeping = True
            return "cloudflare::raw_json"
        for key in ("oneOf", "anyOf"):
            if key in f:
                return self.union_of(f, f[key], ns, hint, direction, owner, deps, depth, sdk)
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
            return "std::vector<%s>" % self.type_of(items, ns, hint, direction, owner, deps, depth + 1,
                                                    sdk.items() if sdk else None)
        values = sdk.values() if sdk else None
        if values is not None and f.get("properties") and not f.get("additionalProperties"):
            # The SDK's `Dict[str, X]` where the schema lists an example key (Pages' `env_vars`:
            # `ENVIRONMENT_VARIABLE`): a map, each value shaped as the schema's first key.
            # A value the SDK types as a union the schema does not spell out is named after the
            # SDK's alias (`DeploymentConfigsPreviewEnvVars`), as a class is named after the class.
            first, vhint = next(iter(f["properties"].values())), hint + "_value"
            alias = values.alias_ref() if not values.klass() else None
            if alias:
                ans, aname = contract_name(alias, self.words)
                vhint = aname if tuple(ident(x) for x in ans) == ns else vhint
            return "std::map<std::string, %s>" % self.type_of(first, ns, vhint, direction, owner, deps, depth + 1, values)
        if f.get("properties"):
            return self.struct_for(f, ns, hint, direction, False, deps, depth + 1, sdk=sdk)
        ap = f.get("additionalProperties")
        if isinstance(ap, dict) and ap:
            return "std::map<std::string, %s>" % self.type_of(ap, ns, hint + "_value", direction, owner, deps, depth + 1,
                                                              sdk.values() if sdk else None)
        self.json_keeping = True
        return "cloudflare::raw_json"

    def union_of(self, f, members, ns, hint, direction, owner, deps, depth, sdk=None):
        """A union: the member's type if it is the only one; one scalar type if all members are;
        for requests a `cloudflare::one_of` of the members (the caller picks one); for responses
        a tagged union struct when one property with a distinct constant tells the members apart,
        a std::variant when their JSON kinds differ, else JSON kept as it came (`raw_json`). A request member also gets the properties
        its parent declares beside the union (magic site app configs: `breakout`, `priority`)."""
        hint = squeeze(hint)
        if direction == "in" and f.get("properties") and f.get("type", "object") == "object":
            members = [{"allOf": [{"properties": f["properties"]}, m]} for m in members]
        if len(members) == 1:
            # One alternative is no choice: its type, named after the union's member (the SDK's
            # `custom_hostname_create_params.SSL` is `…_ssl`, not `…_ssl_variant_1`).
            alone = sdk.alternatives() if sdk else None
            one = alone[0] if alone and len(alone) == 1 else sdk
            ref = one.klass() if one else None
            if ref:
                cns, cname = contract_name(ref, self.words)
                if (tuple(ident(x) for x in cns), squeeze(cname)) in self.structs:
                    one = None  # that SDK class is already a type, made from another schema: the hint names this one
            return self.type_of(members[0], ns, hint, direction, owner, deps, depth, one)
        alts = [self.schema.flatten(a) for a in members]
        kinds = [self.scalar_kind(a, direction) for a in alts]
        if len(set(kinds)) == 1 and None not in kinds:
            return kinds[0]
        if set(kinds) == {"double", "std::int64_t"}:
            # A number or an integer (the SDK's `TTLParam`: `Union[float, Literal[1]]`) is a
            # number: every integer is one, and a whole double is written as an integer.
            return "double"
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
        sdk_ref = sdk.alias_ref() if sdk else None
        if direction == "out" and sdk_ref in self.by_sdk_union:
            # One SDK type, one C++ type: the union the SDK names once (its `RecordResponse`, what
            # records.list and the four lists of records.batch hold) is the struct the first call
            # made for it, whatever schema described a later one (no new alternative structs).
            st = self.by_sdk_union[sdk_ref]
            deps.add((st.ns, st.name))
            self.last_key = (st.ns, st.name)
            return "::".join(("cloudflare",) + st.ns + (st.name,))
        # The SDK's alternatives, when it lists as many: each names its member's struct.
        sdk_alts = match_alternatives(sdk, alts, tag)
        # The SDK's overloads of one object body (`x-sdk-overloads`) are that body, split: each
        # one's members are typed at the depth the object's own would be (a member's union stays typed).
        step = -1 if f.get(OVERLOADS) else 1
        types = [self.type_of(m, ns, hint + "_" + names[i], direction, owner, deps, depth + step, sdk_alts[i])
                 for i, m in enumerate(members)]
        # Told apart by the structs they name: an alias names the struct it stands for.
        distinct = len(set(map(self.canonical, types))) == len(types) and "cloudflare::raw_json" not in types
        if direction == "in" and distinct:
            self.json_keeping = saved
            return "%s%s>" % (ONE_OF, ", ".join(types))
        if direction == "out" and tag and distinct and all(t.startswith("cloudflare::") for t in types):
            self.json_keeping = saved
            name = self.unique(ns, hint) if (ns, hint) not in self.structs else hint
            if (ns, name) in self.structs:
                deps.add((ns, name))
                self.last_key = (ns, name)
                return "::".join(("cloudflare",) + ns + (name,))
            st = Struct(ns, name, doc_line(f.get("description") or f.get("title")) or "One of several kinds, told apart by `%s`." % tag[0], True)
            st.union = (tag[0], tag[1], types)
            if sdk_ref:
                self.by_sdk_union.setdefault(sdk_ref, st)
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
        return find_tag(alts, self.schema.flatten)

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

    def struct_for(self, f, ns, name, direction, top, deps, depth=0, existing=False, sdk=None):
        """The struct for object schema `f`, made or reused. Reused, in this order: the SDK's
        type of that name when `existing` (a return type several calls share), then a struct
        already made from the same schema: the same schema under the same name (DNS records'
        five calls each inline the record union) is one struct, not five numbered copies, and a
        nested object reuses an identical one in its namespace (each record kind's `meta`; the
        record kinds of DNS create, update and edit), its own name kept as an alias. One type,
        not three copies: a TU parses and instantiates it (and a union of 20 of them) once.
        A nested object the SDK has a class for takes that class's name (`contract_name`)."""
        ref = sdk.klass() if sdk else None
        if ref and not top:
            cns, name = contract_name(ref, self.words)
            ns = tuple(ident(x) for x in cns)
        name = squeeze(name)
        made = self.structs.get((ns, name)) if ref and not top else None
        if made and (f.get("title") == ref.rpartition(".")[2] or (made.sdk_own == ref and direction == "in")) and \
                set(f.get("properties", {})) <= {x.json_name for x in made.fields}:
            # The SDK's own description of a class (the derived members' types) where Cloudflare's
            # schema already made that class's type with every member it has, or the other way
            # round in a request (`magic_transit.routes`: create's members are derived, update's the
            # schema's): one SDK type, one C++ type.
            return self.use(ns, name, (ns, name), deps)
        if existing and (ns, name) in self.structs:
            self.structs[(ns, name)].top = self.structs[(ns, name)].top or top
            return self.use(ns, name, (ns, name), deps)
        memo_key = (ns, None if not top else name, direction, top,
                    json.dumps(self.shape(f) if direction == "in" else f, default=str))
        if memo_key in self.made:
            made, keeping = self.made[memo_key]
            self.json_keeping = self.json_keeping or keeping
            if made[1] == name or existing:
                return self.use(made[0], made[1], made, deps)
            spelled = self.alias_for(ns, name, made)
            self.alias_nested(made, sdk if ref else None)
            return self.use(ns, spelled, made, deps)
        saved_keeping, self.json_keeping = self.json_keeping, False
        result = self._new_struct(f, ns, name, direction, top, deps, depth, sdk if ref else None)
        self.made[memo_key] = (self.last_key, self.json_keeping)
        self.json_keeping = self.json_keeping or saved_keeping
        return result

    def shape(self, s, seen=()):
        """`s` with each reference to an SDK class's description replaced by that description,
        and an SDK class's own name and doc left out: the SDK declares one shape once per module
        and per use (`RecordCreateParams.ARecordSettings`, `RecordUpdateParams.ARecordSettings`,
        `AAAARecordSettings`, …), and one shape is one type in a request (a body built for
        `create` is sent with `update`; a TU instantiates it once). The other classes' names are
        aliases of it (`alias_nested`)."""
        if isinstance(s, dict):
            ref = s.get("$ref", "")
            name = ref.rsplit("/", 1)[-1]
            if name.startswith(COMPONENT_PREFIX) and ref not in seen:
                rest = {k: v for k, v in s.items() if k != "$ref"}
                return [self.shape(self.schema.components.get(name, {}), seen + (ref,)), self.shape(rest, seen)]
            if id(s) in self.sdk_classes:  # an SDK class's own description: its members, not its name
                return {k: self.shape(v, seen) for k, v in s.items() if k not in ("title", "description")}
            # Which params class an added alternative is (`x-sdk-class`) names it, as an SDK class's
            # name does: create's, update's and edit's OPENPGPKEY records are one shape.
            return {k: self.shape(v, seen) for k, v in s.items() if k != SDK_CLASS}
        if isinstance(s, list):
            return [self.shape(x, seen) for x in s]
        return s

    def use(self, ns, spelled, key, deps):
        """Records struct `key` as used and names it (by itself or by an alias of it)."""
        deps.add(key)
        self.last_key = key
        return "::".join(("cloudflare",) + ns + (spelled,))

    def alias_nested(self, key, sdk, depth=0):
        """A struct reused for another SDK class (`RecordUpdateParams.CAARecord` is
        `RecordCreateParams.CAARecord`'s struct): the other class's nested classes name the same
        nested structs, so each keeps its C++ name (`record_update_params_caa_record_data`)."""
        st = self.structs.get(key)
        if st is None or sdk is None or depth > 8:
            return
        by_wire = {wire: t for _, wire, t in sdk.fields()}
        for f in st.fields:
            t = by_wire.get(f.json_name)
            inner = next((x for x in (t, t.items() if t else None, t.values() if t else None) if x and x.klass()), None)
            names = re.findall(r"cloudflare::[A-Za-z0-9_:]+", f.cpp_type)
            if inner is None or len(names) != 1:
                continue
            nested = self.canonical(names[0])
            cns, cname = contract_name(inner.klass(), self.words)
            cns, cname = tuple(ident(x) for x in cns), squeeze(cname)
            if nested not in self.structs or cns != nested[0] or cname == nested[1]:
                continue
            if (cns, cname) not in self.structs and (cns, cname) not in self.alias_of:
                self.alias_for(cns, cname, nested)
            self.alias_nested(nested, inner, depth + 1)

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

    def _new_struct(self, f, ns, name, direction, top, deps, depth, sdk=None):
        name = self.unique(ns, name)
        st = Struct(ns, name, doc_line(f.get("description") or f.get("title")), top)
        st.base = None
        own = sdk.klass() if sdk else None
        st.sdk_own = own if own and f.get("title") == own.rpartition(".")[2] else None
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
        # Members as the SDK names and orders them; what only the schema has follows, in its order,
        # named by the SDK's rule (the JSON name in snake case).
        by_wire = OrderedDict((wire, (name_, t)) for name_, wire, t in (sdk.fields() if sdk else []))
        props = f.get("properties", {})
        order = [w for w in by_wire if w in props] + [w for w in props if w not in by_wire]
        for pname in order:
            pschema = props[pname]
            pf = self.schema.flatten(pschema)
            if direction == "in" and pf.get("readOnly"):
                continue  # response-only (DNS records list id, created_on... as required)
            sdk_name, sdk_type = by_wire.get(pname, (None, None))
            cname = ident(sdk_name) if sdk_name else snake(pname)
            if cname == name:
                cname += "_"
            while cname in used:
                cname += "_"
            used.add(cname)
            ctype = self.type_of(pschema, ns, name + "_" + snake(pname), direction, st, st.deps, depth, sdk_type)
            if direction == "out" and ctype == "std::string" and self.is_secret(pname, pschema):
                ctype = "cloudflare::secret"
            req = pname in required and not pf.get("nullable") and not (direction == "out" and ctype == "cloudflare::raw_json")
            st.fields.append(mark_sdk_only(Field(pname, cname, ctype, req, doc_line(pf.get("description")), pschema), pschema))
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


class Model:
    """What the writers read, and all they read: the endpoints to emit, grouped by header, and the
    types they name. ModelBuilder makes it from the readers' facts; no writer changes it."""

    def __init__(self, schema, types, ops, models, unnamed_models, skipped, missing_routes):
        self.schema = schema  # read_schema.Schema: example answers and sample values are made from it
        self.types = types  # the TypeMaker: its structs (in dependency order), canonical(), scalar_kind()
        self.ops = ops  # every schema operation (Op), `row` its SDK row or None
        self.models = models  # resource path -> its endpoints (Op): the client's tree
        self.unnamed_models = unnamed_models  # group -> its endpoints without an SDK name (cloudflare::operations)
        self.skipped = skipped  # (SDK row, why) of operations of generated resources not generated
        self.missing_routes = missing_routes  # SDK rows whose route the schema lacks
        self.rows = []  # every SDK row (sdk-names.tsv): the methods coverage counts

    def headers(self):
        """(resource path, its endpoints, in the client's tree?) per generated resource header:
        the SDK's resources, then the operations without an SDK name by group."""
        return [(res, ms, True) for res, ms in self.models.items()] + \
               [("operations." + group, ms, False) for group, ms in self.unnamed_models.items()]


class ModelBuilder:
    """Makes the Model from the readers' facts: joins the SDK's rows to the schema's operations,
    plans what is generated, and makes each endpoint's Op and the structs its types name."""

    def __init__(self, inputs, sdk):
        self.ann = inputs.ann
        self.schema = inputs.schema
        self.sdk = SdkMethods(sdk)
        self.types = TypeMaker(self.schema, inputs.secrets, self.ann["sdk_words"]["words"])
        self.rows = inputs.rows
        self.ops = inputs.ops

    def build(self):
        self.match()
        self.reserve_namespaces()
        self.plan()
        self.make_ops()
        self.overload_params()
        model = Model(self.schema, self.types, self.ops, self.models, self.unnamed_models, self.skipped,
                      self.missing_routes)
        model.rows = self.rows
        return model

    # -- TSV rows <-> schema operations ---------------------------------------------------------
    def match(self):
        by_route = {}
        for o in self.ops:
            by_route[(o.verb, norm_route(o.path))] = o
            o.row = None
        self.missing_routes = []
        for r in self.rows:
            verb = r["verb"].lower()
            route = r["route"]
            if route.startswith("/{accounts_or_zones}/{account_or_zone_id}"):
                rest = route[len("/{accounts_or_zones}/{account_or_zone_id}"):]
                cands = [("/accounts/{}" + norm_route(rest)), ("/zones/{}" + norm_route(rest))]
                r["scoped"] = True
            else:
                cands = [norm_route(route)]
                r["scoped"] = False
            found = [by_route[(verb, c)] for c in cands if (verb, c) in by_route]
            r["ops"] = found
            if not found:
                self.missing_routes.append(r)
            for o in found:
                if o.row is None:
                    o.row = r

    def reserve_namespaces(self):
        """Every namespace the output may open, so no type takes a namespace's name."""
        ns = set()
        paths = [tuple(r["resource"].split(".")) for r in self.rows if r["ops"]]
        for p in paths:
            for i in range(1, len(p) + (1 if named_as_parent(p) else 0)):
                ns.add(tuple(ident(x) for x in p[:i]))
        for r in self.rows:
            for col in ("params_file", "return_file"):
                tp = type_path(r[col])
                if tp:
                    for i in range(1, len(tp[0]) + 1):
                        ns.add(tp[0][:i])
                    ns.add(tp[0] + ("endpoints",))
        ns.add(("operations",))
        self.types.reserved_namespaces = ns
        self.param_names = set()

    # -- what gets generated ----------------------------------------------------------------------
    def plan(self):
        wanted = self.ann["generate"]["resources"]
        self.resources = OrderedDict()  # resource path -> list of rows
        for r in self.rows:
            if not r["ops"]:
                continue
            if wanted != ["*"] and r["resource"] not in wanted:
                continue
            self.resources.setdefault(r["resource"], []).append(r)
        # Operations without an SDK name: endpoint types named by operationId in
        # cloudflare::operations, grouped into headers by the path's first product segment.
        self.unnamed = OrderedDict()
        if self.ann["generate"].get("unnamed_operations"):
            for o in self.ops:
                if o.row is not None:
                    continue
                segs = [x for x in o.path.split("/") if x and not x.startswith("{")]
                group = segs[1] if len(segs) > 1 and segs[0] in ("accounts", "zones", "user") else (segs[0] if segs else "root")
                opid = snake(o.spec.get("operationId") or (o.verb + "_" + o.path))
                names = re.findall(r"\{([^}]*)\}", o.path)
                row = {"verb": o.verb.upper(), "route": o.path, "resource": "operations." + snake(group),
                       "method": opid, "positional": "", "keyword_path_params": ",".join(names),
                       "params_file": "", "returns": "", "return_file": "", "scoped": False, "ops": [o],
                       "x_params": (("operations",), opid + "_params"), "unnamed": True}
                self.unnamed.setdefault(snake(group), []).append(row)

    # -- one operation ------------------------------------------------------------------------------
    def params_name(self, r, rows):
        if "x_params" in r:
            return r["x_params"]
        tp = type_path(r["params_file"])
        if tp:
            return tp
        # No params file: <stem>_<method>_params, the stem taken from a sibling's params file.
        for s in rows:
            sp = type_path(s["params_file"])
            if sp and sp[1].endswith("_" + s["method"] + "_params"):
                stem = sp[1][: -len("_" + s["method"] + "_params")]
                return sp[0], "%s_%s_params" % (stem, ident(r["method"]).rstrip("_"))
        parts = r["resource"].split(".")
        last = parts[-1][:-1] if parts[-1].endswith("s") else parts[-1]
        rtp = type_path(r["return_file"])
        ns = rtp[0] if rtp else tuple(ident(p) for p in (parts[:-1] if len(parts) > 1 else parts))
        return ns, "%s_%s_params" % (last, r["method"])

    def op_model(self, r, rows):
        o = r["ops"][0]
        spec = o.spec
        m = Op()
        m.row, m.op, m.scoped = r, o, r["scoped"]
        m.verb = o.verb
        m.resource = r["resource"]
        m.method = ident(r["method"])
        pns, pname = self.params_name(r, rows)
        base, n = pname, 2
        while (pns, pname) in self.param_names or (pns, pname) in self.types.structs:
            pname = "%s_%d" % (base[: -len("_params")] if base.endswith("_params") else base, n) + "_params"
            n += 1
        self.param_names.add((pns, pname))
        m.ns = pns
        m.params = pname
        m.endpoint = pname[: -len("_params")] if pname.endswith("_params") else pname
        m.full_name = "%s.%s" % (r["resource"], r["method"])
        sdk_m = None if r.get("unnamed") else self.sdk.method(r["resource"], r["method"])
        m.sdk = sdk_m
        self.types.reset_flags()
        # Path: TSV names by position.
        tsv_names = re.findall(r"\{([^}]*)\}", r["route"])
        if m.scoped:
            tsv_names = tsv_names[2:]
            rest = o.path.split("/", 3)
            schema_path = "/" + rest[3] if len(rest) > 3 else ""
        else:
            schema_path = o.path
        segs = re.split(r"(\{[^}]*\})", schema_path)
        m.positional = [p for p in r["positional"].split(",") if p]
        m.keyword_path = [p for p in r["keyword_path_params"].split(",") if p]
        if m.scoped:
            m.keyword_path = [p for p in m.keyword_path if p not in ("account_id", "zone_id")]
        # Route parameters named as keywords are params members; the others are the positional
        # arguments, in order (the SDK may spell them differently: `rayid` for `{ray_id}`).
        m.path_parts = []  # ('lit', text) | ('pos', name) | ('kw', name)
        params = list(o.common_params) + list(spec.get("parameters", []))
        in_path = {}
        for p in params:
            p = self.schema.resolve(p)
            if p.get("in") == "path":
                in_path[p["name"]] = p.get("schema", {})
        m.path_schemas = {}  # path_parts entry -> the schema of that path parameter
        k, pos_left = 0, list(m.positional)
        for seg in segs:
            if not seg:
                continue
            if seg.startswith("{"):
                n = tsv_names[k]
                k += 1
                if n in m.keyword_path:
                    m.path_parts.append(("kw", n))
                elif pos_left:
                    m.path_parts.append(("pos", pos_left.pop(0)))
                else:
                    m.keyword_path.append(n)
                    m.path_parts.append(("kw", n))
                m.path_schemas[m.path_parts[-1]] = in_path.get(seg[1:-1], {})
            else:
                m.path_parts.append(("lit", seg))
        m.positional = [p for p in m.positional if p not in pos_left]
        # Path parameters sent with their `/` kept (codegen/annotations.json, "path_segments").
        m.path_segments = set(self.ann["path_segments"]["parameters"].get(m.full_name, []))
        unknown = m.path_segments - {v for kind, v in m.path_parts if kind != "lit"}
        if unknown:
            raise SystemExit("codegen/annotations.json: path_segments names %s, not a path parameter of %s" % (
                sorted(unknown), m.full_name))
        fields = []
        deps = set()
        if m.scoped:
            fields.append(Field("account_id", "account_id", "std::optional<std::string>", True, ""))
            fields.append(Field("zone_id", "zone_id", "std::optional<std::string>", True, ""))
        for kp in m.keyword_path:
            fields.append(Field(kp, snake(kp), "std::string", True, "", m.path_schemas.get(("kw", kp))))
            fields[-1].path = True
        m.query = []
        groups = OrderedDict()  # "account" -> Struct of its dotted members
        for p in params:
            p = self.schema.resolve(p)
            if p.get("in") != "query":
                continue
            qname = p["name"]
            qtype = self.types.type_of(p.get("schema", {}), pns, pname + "_" + snake(qname), "in", None, deps, 0,
                                       self.sdk.field(sdk_m, qname) if sdk_m else None)
            if qname in self.ann["integer_query_params"]["names"] and qtype == "double":
                qtype = "std::int64_t"
            if "." in qname:
                head, tail = qname.split(".", 1)
                if head not in groups:
                    sname = self.types.unique(pns, pname + "_" + snake(head))
                    st = Struct(pns, sname, "`%s.*` query parameters" % head, False)
                    self.types.structs[(pns, sname)] = st
                    deps.add((pns, sname))
                    f = Field(head, snake(head), "::".join(("cloudflare",) + pns + (sname,)), False, st.doc)
                    f.group = st
                    groups[head] = f
                    fields.append(f)
                    m.query.append(f)
                sub = mark_sdk_only(Field(qname, snake(tail), qtype, False, doc_line(p.get("description")), p.get("schema", {})), p)
                sub.query_array = self.query_array(m, p, qtype)
                groups[head].group.fields.append(sub)
                continue
            fields.append(mark_sdk_only(Field(qname, snake(qname), qtype, bool(p.get("required")), doc_line(p.get("description")),
                                              p.get("schema", {})), p))
            fields[-1].query_array = self.query_array(m, p, qtype)
            m.query.append(fields[-1])
        m.header_fields = self.header_fields(params, pns, pname, deps)
        fields += m.header_fields
        # Body
        m.body_kind, m.body_fields, m.body_required, m.body_whole = None, [], False, None
        m.part_fields = []  # multipart/form-data: one part per member (`b.part`), or per map entry (`b.parts`)
        m.body_unset = "omit"
        rb = self.schema.resolve(spec.get("requestBody", {}))
        content = rb.get("content", {})
        m.bytes_request = False
        if content:
            m.body_required = bool(rb.get("required"))
            if "application/json" in content:
                bs = self.schema.flatten(content["application/json"].get("schema", {}))
                if bs.get("properties") and bs.get("type", "object") == "object" and not bs.get("oneOf") and not bs.get("anyOf"):
                    m.body_kind = "object"
                    req = set(bs.get("required", []))
                    for bn, bsch in bs["properties"].items():
                        bf = self.schema.flatten(bsch)
                        if bf.get("readOnly"):
                            continue
                        ctype = self.types.type_of(bsch, pns, pname + "_" + snake(bn), "in", None, deps, 0,
                                                   self.sdk.field(sdk_m, bn) if sdk_m else None)
                        f = mark_sdk_only(Field(bn, snake(bn), ctype, bn in req, doc_line(bf.get("description")), bsch), bsch)
                        f.nullable = bool(bf.get("nullable"))
                        f.non_empty = ctype == "std::string" and bf.get("minLength", 0) >= 1 and bn in req and not f.nullable
                        fields.append(f)
                        m.body_fields.append(f)
                else:
                    m.body_kind = "whole"
                    ctype = self.types.type_of(content["application/json"].get("schema", {}), pns, pname + "_body", "in", None, deps,
                                               0, self.whole_body_sdk(sdk_m))
                    f = Field("body", "body", ctype, m.body_required, "the whole JSON body", content["application/json"].get("schema", {}))
                    f.non_empty = False
                    fields.append(f)
                    m.body_whole = f
                    m.body_unset = self.unset_body(m, content["application/json"], ctype)
            elif "multipart/form-data" in content:
                self.form_model(m, content["multipart/form-data"].get("schema", {}), sdk_m, pns, pname, deps, fields)
            else:
                m.bytes_request = True
                f = Field("body", "body", "cloudflare::binary_body", m.body_required,
                          "the body, as %s" % " or ".join(sorted(content)))
                f.non_empty = False
                fields.append(f)
                m.body_whole = f
        fields = self.sdk_order(m, sdk_m, fields) if sdk_m else fields
        # dedupe member names
        used = set()
        for f in fields:
            while f.cpp_name in used:
                f.cpp_name += "_"
            used.add(f.cpp_name)
        m.fields = fields
        m.path_members = {f.json_name: f.cpp_name for f in fields if getattr(f, "path", False)}
        m.param_deps = deps
        # Response
        self.response_model(m, r, o)
        m.json_keeping = self.types.json_keeping
        ov = self.ann["idempotency"].get(m.full_name) or self.ann["idempotency"].get(spec.get("operationId", ""))
        m.idempotent = ov["idempotent"] if ov else m.verb in ("get", "head", "put", "delete")
        security = spec.get("security", self.schema.doc.get("security", []))
        m.user_service_key = any("user_service_key" in req for req in security)
        m.needs_credentials = any(req for req in security)  # [] or [{}]: a public endpoint
        qn = set(f.json_name for f in m.query)
        # `<method>_all` where the list pages: by cursor where the official SDK does
        # (SyncCursor*Pagination) and the schema has `cursor`; by page number where the SDK does
        # (SyncV4PagePagination*) or the schema has `page` and `per_page` (the schema wins: the
        # overlay gives service tokens their paging parameters).
        m.paging = None
        returns = (r or {}).get("returns", "")
        if m.response_kind == "page" and (m.response_struct or m.response in (
                "cloudflare::page<cloudflare::raw_json>", "cloudflare::page<std::string>")):
            if returns.startswith("SyncCursor") and "cursor" in qn:
                m.paging = "cursor"
            elif (returns.startswith("SyncV4PagePagination") and "page" in qn) or {"page", "per_page"} <= qn:
                m.paging = "page"
        return m

    def overload_params(self):
        """A method the SDK overloads, one params class per kind of body (`dns.records.create`:
        `ARecord`, `AAAARecord`, ...), takes any of those classes, as the SDK does: each alternative
        of its body carries the method's other members (path, query, header) before its own, and
        its params type is the variant of them (the SDK's `RecordCreateParams = Union[...]`). An
        alternative shared by methods whose other members differ (`rulesets.rules.edit` also names
        `ruleset_id`) becomes a struct of its own. Methods whose schema body is one object keep
        one params struct with every overload's members (the schema knows no kinds to pick)."""
        ms = [m for ms in self.models.values() for m in ms
              if m.sdk and len(m.sdk["signatures"]) > 1 and m.body_whole is not None and not m.bytes_request
              and m.body_whole.cpp_type.startswith(ONE_OF)]
        picked = []
        for m in ms:
            alts = union_alternatives(m.body_whole.cpp_type)
            keys = [self.types.canonical(a) for a in alts]
            if all(k in self.types.structs and not self.types.structs[k].union and not self.types.structs[k].base
                   for k in keys):
                picked.append((m, alts, keys))
        # What else names these structs: they must be params classes only.
        used = set()
        for st in self.types.structs.values():
            for f in st.fields:
                used.update(re.findall(r"[A-Za-z_][A-Za-z0-9_:]*", f.cpp_type))
        for m in [m for ms in self.models.values() for m in ms] + [m for ms in self.unnamed_models.values() for m in ms]:
            for f in m.fields:
                if not any(m is x for x, _, _ in picked) or f is not m.body_whole:
                    used.update(re.findall(r"[A-Za-z_][A-Za-z0-9_:]*", f.cpp_type))
        # Owners first: the method an alternative was named for gives it its members.
        for own_pass in (True, False):
            for m, alts, keys in picked:
                prefix = [f for f in m.fields if f is not m.body_whole]
                sig = [(f.cpp_name, f.cpp_type, f.required, m.scoped) for f in prefix]
                for alt, key in zip(alts, keys):
                    name = alt.split("::")[-1]
                    if (name == key[1]) != own_pass:
                        continue
                    st = self.types.structs[key]
                    for n in [st.name] + st.aliases:
                        if "::".join(("cloudflare",) + st.ns + (n,)) in used:
                            raise SystemExit("%s: overload class %s is also a nested type" % (m.full_name, n))
                    if st.prefix is not None and \
                            [(f.cpp_name, f.cpp_type, f.required, st.overload_of.scoped) for f in st.prefix] != sig:
                        if name == key[1]:
                            raise SystemExit("%s: overload class %s is named for another method" % (m.full_name, name))
                        copy = Struct(st.ns, name, st.doc, st.top)
                        copy.fields, copy.deps = st.fields, set(st.deps)
                        st.aliases.remove(name)
                        del self.types.alias_of[(st.ns, name)]
                        self.types.structs[(st.ns, name)] = copy
                        m.param_deps.add((st.ns, name))
                        st = copy
                    if st.prefix is None:
                        clash = set(f.cpp_name for f in prefix) & set(f.cpp_name for f in st.fields)
                        if clash:
                            raise SystemExit("%s: %s has members named as its path: %s" % (m.full_name, name, sorted(clash)))
                        st.prefix, st.overload_of = prefix, m
                        st.sdk_order = next((
                            [a["name"] for a in sig["args"]] for sig in m.sdk["signatures"]
                            if contract_name(sig["params"], self.types.words)[1] == name), [])
                m.overloads = alts
        # Overloads the SDK declares alike (abuse_reports.create: eight classes, the same members
        # and types) are one params struct, and each class's name is an alias of it.
        for m in [m for ms in self.models.values() for m in ms]:
            sigs = m.sdk["signatures"] if m.sdk else []
            if len(sigs) > 1 and not m.overloads and m.body_kind == "object" and \
                    len({json.dumps(s["args"], sort_keys=True) for s in sigs}) == 1:
                names = [contract_name(s["params"], self.types.words) for s in sigs]
                m.params_aliases = [n for ns, n in names if tuple(map(ident, ns)) == m.ns and n != m.params and
                                    (m.ns, n) not in self.types.structs and (m.ns, n) not in self.param_names]

    def form_model(self, m, schema, sdk_m, pns, pname, deps, fields):
        """A multipart/form-data body: each property of its schema (the first alternative with
        properties, where it has several) is a part member named as the SDK names it. A file
        (`format: binary`, or what the SDK uploads as a file) is a `cloudflare::file_part`; the
        schema's `<any part name>` (a Worker's modules) is `files`, a map of part name to file; a
        form of only `additionalProperties` is the whole body, a map of part name to value; objects
        and arrays are typed and go as JSON parts."""
        m.body_kind = "multipart"
        fs = self.schema.flatten(schema)
        if not fs.get("properties"):
            alts = [self.schema.flatten(a) for a in fs.get("oneOf", []) + fs.get("anyOf", [])]
            fs = next((a for a in alts if a.get("properties")), fs)
        sdk_in = {a.get("wire", a["name"]): a["in"] for a in sdk_m["signatures"][-1]["args"]} if sdk_m else {}
        if not fs.get("properties") and isinstance(fs.get("additionalProperties"), dict):
            value = self.schema.flatten(fs["additionalProperties"])
            vt = "cloudflare::file_part" if value.get("format") == "binary" else "std::string"
            f = Field("body", "body", "std::map<std::string, %s>" % vt, m.body_required, "the form's parts: part name to value", schema)
            f.part_map = True
            fields.append(f)
            m.part_fields.append(f)
            return
        req = set(fs.get("required", []))
        for bn, bsch in fs.get("properties", {}).items():
            bf = self.schema.flatten(bsch)
            if bf.get("readOnly"):
                continue
            if bn == "<any part name>":
                f = Field(bn, "files", "std::map<std::string, cloudflare::file_part>", False,
                          "the form's other parts (a Worker's modules): part name to file", bsch)
                f.part_map = True
            else:
                if bf.get("format") == "binary" or sdk_in.get(bn) in ("file", "files"):
                    ctype = "cloudflare::file_part"
                else:
                    ctype = self.types.type_of(bsch, pns, pname + "_" + snake(bn), "in", None, deps, 0,
                                               self.sdk.field(sdk_m, bn) if sdk_m else None)
                f = Field(bn, snake(bn), ctype, bn in req, doc_line(bf.get("description")), bsch)
            fields.append(f)
            m.part_fields.append(f)

    def whole_body_sdk(self, sdk_m):
        """The SDK's type of a whole JSON body: its `body` argument's, or the params union of an
        overloaded method (each overload one kind of body: DNS records)."""
        if not sdk_m:
            return None
        whole = [a for a in sdk_m["signatures"][-1]["args"] if a["in"] == "whole_body"]
        if whole:
            return self.sdk.field(sdk_m, whole[0].get("wire", whole[0]["name"]))
        return self.sdk.params(sdk_m) if len(sdk_m["signatures"]) > 1 else None

    @staticmethod
    def sdk_order(m, sdk_m, fields):
        """Params members in the SDK method's keyword order, named as the SDK names them; members
        only the schema has follow in their order. Path, query, header and body members are told
        apart as the SDK sends them: a header by its header name, the others by their wire name."""
        def key(f):
            if getattr(f, "header", None):
                return ("header", f.header)
            if f is m.body_whole or (getattr(f, "part_map", False) and f.json_name == "body"):
                return ("whole_body", None)
            if getattr(f, "part_map", False):
                return ("body", "files")
            if f in m.part_fields:
                return ("body", f.json_name)
            if f in m.body_fields:
                return ("body", f.json_name)
            if f in m.query:
                return ("query", f.json_name)
            return ("path", f.json_name)
        out, taken = [], set()
        for a in sdk_m["signatures"][-1]["args"]:
            if a.get("positional"):
                continue
            where = {"part": "body", "file": "body", "files": "body"}.get(a["in"], a["in"])
            k = (where, None) if where == "whole_body" else (where, a.get("wire", a["name"]))
            same = [f for f in fields if key(f) == k and id(f) not in taken]
            # `comment` and `comment.*` side by side: an SDK argument of a class type is the group.
            same.sort(key=lambda f: not getattr(f, "group", None))
            if same:
                f = same[0]
                taken.add(id(f))
                f.cpp_name = ident(a["name"])
                out.append(f)
        return out + [f for f in fields if id(f) not in taken]

    def query_array(self, m, p, ctype):
        """How an array query parameter is sent: None (OpenAPI's default, form exploded:
        `ids=1&ids=2`) or "comma_joined" (form, `explode: false`: `ids=1,2`). Any other style the
        runtime does not send: generation stops rather than send it wrongly."""
        style = p.get("style", "form")
        explode = p.get("explode", style == "form")
        if style == "form" and explode:
            return None
        if style == "form" and (ctype.startswith("std::vector<") or ctype == "cloudflare::raw_json"):
            return "comma_joined"
        if style == "form" and self.types.scalar_kind(self.schema.flatten(p.get("schema", {})), "in"):
            return None  # one value: exploded or not, the same text
        raise SystemExit("%s: query parameter %s has style %s, explode %s: not supported" % (
            m.full_name, p.get("name"), style, explode))

    def header_fields(self, params, pns, pname, deps):
        """Header parameters as params members named as the official SDK names them (snake case
        of the header: `Upload-Length` is `upload_length`), each a std::optional (a required one
        left unset is refused, unless the header comes from request_options or default_headers,
        as 0.4 callers had to send it)."""
        out = []
        for p in map(self.schema.resolve, params):
            if p.get("in") != "header":
                continue
            t = self.types.type_of(p.get("schema", {}), pns, pname + "_" + snake(p["name"]), "in", None, deps)
            if not self.types.scalar_kind(self.schema.flatten(p.get("schema", {})), "in"):
                raise SystemExit("%s: header parameter %s is not a scalar" % (pname, p["name"]))
            required = bool(p.get("required"))
            f = Field(p["name"], snake(p["name"]), "std::optional<%s>" % t if required else t, required,
                      doc_line(p.get("description") or self.schema.flatten(p.get("schema", {})).get("description")),
                      p.get("schema", {}))
            mark_sdk_only(f, p)
            f.header = p["name"]
            out.append(f)
        return out

    def unset_body(self, m, media, ctype):
        """What a whole JSON body (`body`) left unset sends: "omit" (none) when the schema does not
        require one, or the method carries none (GET, HEAD, DELETE: RFC 9110 gives such a body no
        meaning, and the official SDK sends none); "empty_object" (`{}`) when an empty object
        satisfies the schema (no schema at all, or an object one with nothing required);
        "refuse" (invalid_argument naming `body`) otherwise."""
        if not m.body_required or ctype != "cloudflare::raw_json" or m.verb in ("get", "head", "delete"):
            return "omit"
        if "schema" not in media:
            return "empty_object"
        s = self.schema.flatten(media["schema"])
        if s.get("type", "object") == "object" and not s.get("required") and not s.get("minProperties") and \
                not any(k in s for k in ("oneOf", "anyOf", "enum", "not")):
            return "empty_object"
        return "refuse"

    def response_model(self, m, r, o):
        """Sets m.response (C++ type), m.response_kind (struct|page|string|secret|raw|empty|bytes),
        m.response_struct ((ns, name) or None), m.envelope (standard|result_only|bare) and
        m.secret_paths (JSON paths of the credentials in the answer)."""
        m.response_struct, m.envelope, m.response, m.bytes_response = None, "standard", None, False
        m.secret_paths = []
        m.no_content = False
        resp = None
        for code in sorted(o.spec.get("responses", {})):
            if code.startswith("2"):
                resp = self.schema.resolve(o.spec["responses"][code])
                break
        content = (resp or {}).get("content", {})
        if not content:
            # No 2xx documented says nothing of its body; a documented 2xx without content does.
            m.response, m.response_kind, m.no_content = "cloudflare::empty_result", "empty", resp is not None
            return
        if "application/json" not in content:
            m.response, m.response_kind, m.bytes_response = "cloudflare::binary_response", "bytes", True
            return
        if not content["application/json"].get("schema"):
            # JSON declared, nothing described (stream.delete): the body may be empty.
            m.response, m.response_kind, m.no_content = "cloudflare::empty_result", "empty", True
            return
        env = self.schema.flatten(content["application/json"].get("schema", {}))
        props = env.get("properties", {})
        # Where credentials stand in the answer: excerpts of it hide them (E::secret_paths).
        if "result" in props:
            whole = m.full_name in self.types.secrets["operations"] or self.types.is_secret("result", props["result"])
            m.secret_paths = ["result"] if whole else self.types.secret_paths(props["result"], "result")
        else:
            m.secret_paths = self.types.secret_paths(env, "")
            m.secret_paths = [p[1:] if p.startswith(".") else p for p in m.secret_paths]
        if "result" in props:
            res = self.schema.flatten(props["result"])
            if "success" not in props:
                m.envelope = "result_only"
            if res.get("enum") == [None]:  # always null: the call returns nothing
                m.response, m.response_kind = "cloudflare::empty_result", "empty"
                return
        elif "success" in props:
            m.response, m.response_kind = "cloudflare::empty_result", "empty"
            return
        else:
            res, m.envelope = env, "bare"
        rtp = type_path(r["return_file"]) if r else None
        deps = m.param_deps
        if rtp is None:
            rtp = (m.ns, m.endpoint + "_response")
        union = res.get("oneOf") or res.get("anyOf")
        sdk_result = self.sdk.result(m.sdk) if m.sdk else None
        if res.get("type") == "array" and not union:
            items = self.schema.flatten(res.get("items", {}))
            if items.get("properties") and not items.get("oneOf") and not items.get("anyOf"):
                t = self.types.struct_for(items, rtp[0], rtp[1], "out", True, deps, existing=True, sdk=sdk_result)
                m.response_struct = self.types.last_key
                m.response, m.response_kind = "cloudflare::page<%s>" % t, "page"
                return
            t = self.types.type_of(res.get("items", {}), rtp[0], rtp[1], "out", None, deps, 0, sdk_result)
            if t.startswith("std::variant") or t.startswith("std::map"):
                t = "cloudflare::raw_json"  # the tree names results over forward declarations only
                self.types.json_keeping = True
            elif t != "cloudflare::raw_json":
                m.response_struct = self.types.last_key
            m.response, m.response_kind = "cloudflare::page<%s>" % t, "page"
            return
        if res.get("properties") and not union:
            t = self.types.struct_for(res, rtp[0], rtp[1], "out", True, deps, existing=True, sdk=sdk_result)
            m.response_struct = self.types.last_key
            m.response, m.response_kind = t, "struct"
            return
        if self.types.scalar_kind(res, "out") == "std::string":
            if m.secret_paths == ["result"]:  # the result is the credential (a tunnel's token)
                m.response, m.response_kind = "cloudflare::secret", "secret"
            else:
                m.response, m.response_kind = "std::string", "string"
            return
        if union:
            t = self.types.union_of(res, union, rtp[0], rtp[1], "out", None, deps, 0, sdk_result)
            if t.startswith("cloudflare::") and t != "cloudflare::raw_json":
                m.response_struct = self.types.last_key
                m.response, m.response_kind = t, "struct"
                return
        self.types.json_keeping = True
        m.response, m.response_kind = "cloudflare::raw_json", "raw"
        # A result the schema does not describe, or allows null, may be null: a JSON null then.
        m.result_may_be_null = m.envelope != "bare" and (not res or bool(res.get("nullable")))

    # -- every endpoint ------------------------------------------------------------------------------
    def make_ops(self):
        """Each planned row's endpoint, grouped as the headers are: by resource, then the operations
        without an SDK name by group."""
        self.models = OrderedDict()
        self.skipped = []  # (row, why)
        for res, rows in self.resources.items():
            ms = []
            for r in rows:
                m = self.op_model(r, rows)
                why = None

                if why:
                    self.skipped.append((r, why))
                else:
                    ms.append(m)
            if ms:
                self.models[res] = ms
        self.unnamed_models = OrderedDict()
        for group, rows in self.unnamed.items():
            ms = []
            for r in rows:
                ms.append(self.op_model(r, rows))
            if ms:
                self.unnamed_models[group] = ms
