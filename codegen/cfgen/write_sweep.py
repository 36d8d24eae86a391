"""The conformance sweep (issue 11): tests/conformance/sweep/ops_*.cpp and parts.hpp, every generated
operation called through the client with params built from the schema, run against Prism by
tests/conformance/sweep.sh. Values come from the schema: an enum's first value, else a default or
example that fits, else a sample for the format, else a generic sample that fits the length and
pattern. The test writers build their params the same way (SweepWriter.build, params_setup)."""
import json
import re
from collections import OrderedDict

from cfgen.model import cpp_field_type
from cfgen.names import cpp_raw, cstr, header_path, ident, qual, union_alternatives, unwrap_optional
from cfgen.outputs import BANNER


SAMPLE_BY_FORMAT = {
    "uuid": "f174e90a-fafe-4643-bbbc-4a0ed4fc8415", "date-time": "2024-01-02T03:04:05Z",
    "date": "2024-01-02", "time": "03:04:05Z", "email": "user@example.com", "ipv4": "192.0.2.1",
    "ipv6": "2001:db8::1", "uri": "https://example.com/path", "url": "https://example.com/path",
    "hostname": "example.com", "cidr": "192.0.2.0/24",
}
SAMPLE_STRINGS = ["023e105f4ecef8ad9ca31a8372d0c353", "f174e90a-fafe-4643-bbbc-4a0ed4fc8415", "example.com",
                  "value", "1", "a", "2024-01-02T03:04:05Z"]
FORMAT_CHECKS = {  # what Prism's validator (ajv-formats) insists on, loosely
    "uuid": r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}",
    "date-time": r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)", "date": r"\d{4}-\d\d-\d\d",
    "email": r"[^@\s]+@[^@\s]+\.[^@\s]+", "ipv4": r"(\d{1,3}\.){3}\d{1,3}", "uri": r"[a-zA-Z][a-zA-Z0-9+.-]*:\S+",
}


def fits(v, f):
    """Whether JSON value `v` meets scalar schema `f`'s constraints (as far as a sample needs)."""
    if "enum" in f and v not in f["enum"]:
        return False
    if isinstance(v, str):
        if len(v) < f.get("minLength", 0) or len(v) > f.get("maxLength", len(v)):
            return False
        try:
            if f.get("pattern") and not re.search(f["pattern"], v):
                return False
        except re.error:
            pass
        check = FORMAT_CHECKS.get(f.get("format"))
        return not check or re.fullmatch(check, v) is not None
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return False
    if "minimum" in f and v < f["minimum"] or "maximum" in f and v > f["maximum"]:
        return False
    if "exclusiveMinimum" in f and not isinstance(f["exclusiveMinimum"], bool) and v <= f["exclusiveMinimum"]:
        return False
    if "exclusiveMaximum" in f and not isinstance(f["exclusiveMaximum"], bool) and v >= f["exclusiveMaximum"]:
        return False
    mult = f.get("multipleOf")
    return not mult or abs(v / mult - round(v / mult)) < 1e-9


def sample_scalar(f, kind):
    """A value of JSON kind `kind` ('string', 'integer', 'number', 'boolean') meeting `f`."""
    if kind == "boolean":
        for v in (f.get("default"), f.get("example")):
            if isinstance(v, bool):
                return v
        return True
    if kind == "string":
        cands = [e for e in f.get("enum", []) if isinstance(e, str)]
        cands += [v for v in (f.get("default"), f.get("example")) if isinstance(v, str)]
        cands += [SAMPLE_BY_FORMAT[f["format"]]] if f.get("format") in SAMPLE_BY_FORMAT else []
        cands += SAMPLE_STRINGS
        n = max(f.get("minLength", 0), 1)
        cands += [(c * n)[: max(n, len(c))] for c in ("a", "1", "ab")]
        for c in cands:
            if fits(c, f):
                return c
        return cands[0]  # nothing fits: Prism says why, and the report's causes must explain it
    cands = [e for e in f.get("enum", []) if isinstance(e, (int, float)) and not isinstance(e, bool)]
    cands += [v for v in (f.get("default"), f.get("example")) if isinstance(v, (int, float)) and not isinstance(v, bool)]
    lo = f.get("minimum", f.get("exclusiveMinimum") if not isinstance(f.get("exclusiveMinimum"), bool) else None)
    if lo is not None:
        cands += [lo, lo + 1, lo + 0.5]
    cands += [1, 0, f.get("maximum", 1), f.get("multipleOf", 1)]
    for c in cands:
        if kind == "integer" and (not float(c).is_integer()):
            continue
        if fits(c, f):
            return int(c) if kind == "integer" else c
    return int(cands[0]) if kind == "integer" else cands[0]


class SweepWriter:
    PARTS = 6

    def __init__(self, model, outputs):
        self.model = model
        self.outputs = outputs
        self.flat = model.schema.flatten

    def sample_json(self, s, depth=0):
        """A schema-valid JSON value for `s` (for members that keep JSON)."""
        f = self.flat(s)
        alts = f.get("oneOf") or f.get("anyOf")
        if alts:
            pick = self.flat(alts[0])
            if not (f.get("properties") or f.get("type")):
                return self.sample_json(pick, depth + 1)
            # Members that refine their parent (`anyOf: [{required: [hostnames]}, …]`): merge.
            f = dict((k, v) for k, v in f.items() if k not in ("oneOf", "anyOf"))
            f["properties"] = OrderedDict(list(f.get("properties", {}).items()) + list(pick.get("properties", {}).items()))
            f["required"] = list(f.get("required", [])) + [r for r in pick.get("required", []) if r not in f.get("required", [])]
        t = f.get("type")
        t = t[0] if isinstance(t, list) and t else t
        if t is None:
            t = "object" if f.get("properties") else "string" if "enum" in f else None
        if t in ("string", "integer", "number", "boolean"):
            return sample_scalar(f, t)
        if t == "array":
            n = f.get("minItems", 0)
            return [self.sample_json(f.get("items", {}), depth + 1) for _ in range(n)] if depth < 8 else []
        if t == "object" or f.get("properties"):
            props = f.get("properties", {})
            return OrderedDict((k, self.sample_json(props.get(k, {}), depth + 1))
                               for k in f.get("required", []) if depth < 8)
        return "value"

    def struct_of(self, ctype):
        st = self.model.types.structs.get(self.model.types.canonical(ctype))
        while st is not None and st.base:
            st = self.model.types.structs.get(st.base)
        return st

    # Bytes sent where a body is not JSON, by media type (anything else gets "bytes").
    BYTES_SAMPLES = {"application/x-ndjson": '{"id":"vector-1","values":[0.1,0.2,0.3]}\n',
                     "application/javascript": "export default { fetch() { return new Response('ok'); } };"}

    def alternatives(self, ctype, f):
        """(C++ type, the schema it must satisfy) per alternative of variant `ctype` made from the
        flattened schema `f`."""
        alts = f.get("oneOf") or f.get("anyOf") or []
        for i, alt in enumerate(union_alternatives(ctype)):
            member = self.flat(alts[i]) if i < len(alts) else {}
            extra = list(f.get("required", []))  # a parent's `required` beside its oneOf binds the member chosen
            other = f.get("anyOf") if f.get("oneOf") else None
            if other and not self.flat(other[0]).get("properties"):
                extra += self.flat(other[0]).get("required", [])  # and so does a sibling anyOf of required lists
            if extra:
                member = dict(member, required=list(member.get("required", [])) + extra)
            yield alt, member

    def build(self, lhs, ctype, schema, depth=0):
        """C++ statements giving `lhs` (of type `ctype`) a value schema `schema` accepts: its
        required members only, recursively. None when the type has no such value here."""
        f = self.flat(schema or {})
        whole = ctype
        ctype, opt = unwrap_optional(ctype)
        alts = f.get("oneOf") or f.get("anyOf") or []
        if len(alts) == 1 and not union_alternatives(ctype):
            # A union of one member is that member's type (TypeMaker.union_of), with what the
            # union's own schema says beside it.
            beside = {k: f[k] for k in ("properties", "required") if k in f}
            return self.build(lhs, whole, {"allOf": [beside, alts[0]]} if beside else alts[0], depth)
        if union_alternatives(ctype):
            for alt, member in self.alternatives(ctype, f):
                var = "alt%d" % depth
                sub = self.build(var, alt, member, depth + 1)
                if sub is not None:
                    return (["{", "    %s %s{};" % (alt, var)] + ["    " + x for x in sub] +
                            ["    %s = %s{std::move(%s)};" % (lhs, ctype, var), "}"])
            return None
        scalar = {"std::string": "string", "cloudflare::date_time": "string", "std::int64_t": "integer",
                  "double": "number", "bool": "boolean"}.get(ctype)
        if scalar:
            for a in alts:  # a union of scalars made one C++ type: sample the first of its kind
                a = self.flat(a)
                if self.model.types.scalar_kind(a, "in") == ctype:
                    f = a
                    break
            if ctype == "cloudflare::date_time":
                f = dict(f, format="date-time")
            if ctype == "std::string" and f.get("type") in ("integer", "number", "boolean"):
                return ["%s = %s;" % (lhs, cstr(self.path_value(f)))]  # a path parameter typed as a number
            v = sample_scalar(f, scalar)
            if scalar == "string":
                text = cstr(v)
                return ["%s = %s;" % (lhs, "cloudflare::date_time(%s)" % text if ctype == "cloudflare::date_time" else text)]
            if scalar == "boolean":
                return ["%s = %s;" % (lhs, "true" if v else "false")]
            return ["%s = %s;" % (lhs, int(v) if scalar == "integer" else repr(float(v)))]
        if ctype == "cloudflare::raw_json":
            return ["%s = cloudflare::raw_json(boost::json::parse(%s));" % (lhs, cpp_raw(json.dumps(self.sample_json(schema or {}))))]
        if ctype == "cloudflare::binary_body":  # the request rules' tests; the sweep's own call() sets the media type
            return ['%s = cloudflare::binary_body{"application/octet-stream", "bytes"};' % lhs]
        if ctype == "cloudflare::file_part":
            return ['%s = cloudflare::file_part{"sample.txt", "text/plain", "sample"};' % lhs]
        if depth > 8:
            return None
        if ctype.startswith("std::vector<"):
            inner = ctype[len("std::vector<"):-1]
            var = "item%d" % depth
            sub = self.build(var, inner, f.get("items", {}), depth + 1)
            if sub is None:
                return None
            n = max(f.get("minItems", 0), 1)
            return (["{", "    %s %s{};" % (inner, var)] + ["    " + x for x in sub] +
                    ["    %s = %s(%d, %s);" % (lhs, ctype, n, var), "}"])
        if ctype.startswith("std::map<std::string, "):
            inner = ctype[len("std::map<std::string, "):-1]
            if f.get("minProperties", 0) < 1:
                return ["%s = %s{};" % (lhs, ctype)]
            var = "entry%d" % depth
            sub = self.build(var, inner, f.get("additionalProperties") or {}, depth + 1)
            if sub is None:
                return None
            return (["{", "    %s %s{};" % (inner, var)] + ["    " + x for x in sub] +
                    ['    %s = %s{{"key", std::move(%s)}};' % (lhs, ctype, var), "}"])
        if ctype.startswith("cloudflare::"):
            st = self.struct_of(ctype)
            if st is None or st.union:
                return None
            sub = self.build_members("%s%s" % (lhs, "->" if opt else "."), st, f, depth)
            return ["%s = %s{};" % (lhs, ctype)] + sub if sub is not None else None
        return None

    def build_members(self, acc, st, f, depth=0):
        """Statements setting the members of struct `st` that schema `f` requires, through `acc` (`p.`)."""
        out = []
        required = set(f.get("required", []))
        for fld in st.fields:
            if fld.json_name in required:
                sub = self.build(acc + fld.cpp_name, cpp_field_type(fld), fld.schema, depth + 1)
                if sub is None:
                    return None
                out += sub
        return out

    def path_value(self, schema):
        """A path or header parameter's text: a sample of its schema's type."""
        f = self.flat(schema)
        kind = f.get("type") if f.get("type") in ("integer", "number", "boolean") else "string"
        v = sample_scalar(f, kind)
        return ("true" if v else "false") if kind == "boolean" else str(v)

    def one_type(self, schema):
        f = self.flat(schema)
        return f.get("type") in ("string", "integer", "number", "boolean", "object", "array") and \
            not (f.get("oneOf") or f.get("anyOf") or f.get("nullable"))

    def schemes(self, m):
        """The auth schemes `m` accepts, as the driver's bit mask (0: none needed)."""
        mask = 0
        for req in m.op.spec.get("security", self.model.schema.doc.get("security", [])):
            if "api_token" in req:
                mask |= 1
            if "api_email" in req and "api_key" in req:
                mask |= 2
            if "user_service_key" in req:
                mask |= 4
        return mask

    def params_setup(self, m, skip=()):
        """(statements declaring `p` with its path and required members set from the schema, the
        positional arguments before it, None), or (None, None, why not); members in `skip` stay unset."""
        lines = ["    %s p{};" % qual(m.ns, m.params)]
        if m.overloads:  # `p` is the first of the SDK's overload classes that a valid body fits
            for alt, member in self.alternatives(m.body_whole.cpp_type, self.flat(m.body_whole.schema or {})):
                st = self.struct_of(alt)
                sub = self.build_members("p.", st, self.flat(member)) if st is not None and not st.union else None
                if sub is not None:
                    lines = ["    %s p{};" % alt] + ["    " + x for x in sub]
                    break
            else:
                return None, None, "no schema-valid body for any overload"
            skip = tuple(skip) + (m.body_whole,)
        if m.scoped:
            scope = "zone_id" if m.op.path.startswith("/zones/") else "account_id"
            lines.append("    p.%s = %s;" % (scope, cstr(SAMPLE_STRINGS[0])))
        for f in m.fields:
            if m.scoped and f.json_name in ("account_id", "zone_id") or f in skip:
                continue
            in_path = f.json_name in m.keyword_path and f not in m.query and f not in m.body_fields and f is not m.body_whole
            if not (in_path or f.required) or getattr(f, "group", None):
                continue
            sub = self.build("p." + f.cpp_name, cpp_field_type(f), f.schema)
            if sub is None:
                return None, None, "no schema-valid value for %s (%s)" % (f.json_name, f.cpp_type)
            lines += ["    " + x for x in sub]
        args = "".join("std::string_view(%s), " % cstr(self.path_value(m.path_schemas.get(part, {})))
                       for part in m.path_parts if part[0] == "pos")
        return lines, args, None

    def call(self, m):
        """(C++ statements that make the params `p`, the call expression on a client `c`), or
        (None, why not)."""
        bytes_body = m.body_whole if m.bytes_request else None
        lines, args, why = self.params_setup(m, skip=(bytes_body,))
        if why:
            return None, why
        if bytes_body is not None:
            # A body that is not JSON: the schema's first media type, with bytes of that kind.
            media = sorted(self.model.schema.resolve(m.op.spec.get("requestBody", {})).get("content", {}))[0]
            lines.append("    p.%s = cloudflare::binary_body{%s, %s};" % (
                m.body_whole.cpp_name, cstr(media), cstr(self.BYTES_SAMPLES.get(media, "bytes"))))
        ep = qual(m.ns, "endpoints::" + m.endpoint)
        if m.row.get("unnamed"):
            call = "c.call<%s>(cloudflare::request_options{}, %sp)" % (ep, args)
        else:
            call = "c.%s.try_%s(%sp)" % (".".join(ident(x) for x in m.resource.split(".")), m.method, args)
        return lines, call

    def op(self, m):
        """(C++ statement registering the call, or None) and why not."""
        lines, call = self.call(m)
        if lines is None:
            return None, call
        # the property the negative cases spoil: required, of one JSON type (so a wrong one is wrong)
        body_key = next((f.json_name for f in m.body_fields if f.required and self.one_type(f.schema)), "")
        head = "    r.op(%s, %s, %d, %s, [](sweep::client_type& c) -> sweep::outcome {" % (
            cstr(m.full_name if not m.row.get("unnamed") else m.op.spec.get("operationId", m.full_name)),
            cstr("%s %s" % (m.verb.upper(), m.op.path)), self.schemes(m), cstr(body_key))
        return "\n".join([head] + ["    " + x for x in lines] + ["        return sweep::of(%s);" % call, "    });"]), None

    def emit(self):
        groups = [(res, ms) for res, ms, _ in self.model.headers()]
        total = sum(len(ms) for _, ms in groups)
        files, cur, n = [], [], 0
        for res, ms in groups:
            cur.append((res, ms))
            n += len(ms)
            if n >= total * (len(files) + 1) / self.PARTS and len(files) < self.PARTS - 1:
                files.append(cur)
                cur = []
        files.append(cur)
        self.sweep_skipped = []
        for idx, part in enumerate(files):
            out = [BANNER, "// The conformance sweep, part %d of %d: each operation called through the client with params\n"
                   "// built from the schema (required members; enums, formats, bounds and patterns respected).\n"
                   '#include "parts.hpp"\n\n' % (idx + 1, len(files))]
            for res, _ in part:
                out.append("#include <cloudflare/%s.hpp>\n" % header_path(res))
            out.append("\n#include <boost/json/parse.hpp>\n\n#include <string_view>\n#include <utility>\n\n")
            out.append("void sweep::part_%d(sweep::runner& r) {\n" % (idx + 1))
            for res, ms in part:
                for m in ms:
                    stmt, why = self.op(m)
                    if stmt:
                        out.append(stmt + "\n")
                    else:
                        name = m.full_name if not m.row.get("unnamed") else m.op.spec.get("operationId", m.full_name)
                        out.append("    r.not_applicable(%s, %s, %s);\n" % (cstr(name), cstr("%s %s" % (m.verb.upper(), m.op.path)), cstr(why)))
            out.append("}\n")
            self.outputs["tests/conformance/sweep/ops_%d.cpp" % (idx + 1)] = "".join(out)
        out = [BANNER, "// The parts of the conformance sweep (tests/conformance/sweep/ops_*.cpp).\n#pragma once\n\n"
               '#include "sweep.hpp"\n\nnamespace sweep {\n']
        for idx in range(len(files)):
            out.append("void part_%d(runner& r);\n" % (idx + 1))
        out.append("/// Every part, in order.\ninline constexpr void (*parts[])(runner&) = {%s};\n" %
                   ", ".join("part_%d" % (i + 1) for i in range(len(files))))
        out.append("/// How many operations the generator emitted: the sweep must report each once.\n"
                   "inline constexpr int operations = %d;\n} // namespace sweep\n" % total)
        self.outputs["tests/conformance/sweep/parts.hpp"] = "".join(out)
