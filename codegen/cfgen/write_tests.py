"""The test writers: tests/generated/test_ops_*.cpp and test_examples_*.cpp (TestWriter),
test_secrets.cpp (SecretTestWriter) and test_requests_*.cpp (RequestRulesWriter). Each expectation
comes from the schema, not from the C++ the header writer wrote."""
import json
import re
from collections import OrderedDict
from urllib.parse import quote as _quote

from cfgen.model import cpp_field_type
from cfgen.names import cpp_raw, cstr, header_path, qual, union_alternatives, unwrap_optional
from cfgen.outputs import BANNER
from cfgen.write_examples import example_answer
from cfgen.write_sweep import SweepWriter


# ------------------------------------------------------------------------------------------------
# Tests: for a sample of operations (every top-level resource, plus the hard corners), the exact
# request built from params and the parse of an example response built from the schema. The
# expectations are computed here from the schema (path template, verb, property examples), not
# from the C++ the generator wrote.

BASE = "https://api.cloudflare.com/client/v4"


class TestWriter:
    def __init__(self, model, outputs):
        self.model = model
        self.outputs = outputs

    DERIVED_TESTS = 120  # request/response tests of SDK-derived operations (issue 22 asks 100 or more)
    PARTS = 4  # test_ops_<n>.cpp files: TUs the build runs in parallel

    def pick(self):
        """Every top-level resource's first operation, then the hard corners."""
        chosen, seen_top = [], set()
        all_models = [m for ms in self.model.models.values() for m in ms]
        for m in all_models:
            top = m.resource.split(".")[0]
            if top not in seen_top:
                seen_top.add(top)
                chosen.append(m)
        extras = {"multipart": 1000, "bytes": 6, "json": 10, "page": 8, "nested": 8, "dotted": 2}  # every form
        for m in all_models:
            if m in chosen:
                continue
            kind = None
            if m.body_kind == "multipart":
                kind = "multipart"
            elif m.bytes_request or m.bytes_response:
                kind = "bytes"
            elif any(getattr(f, "group", None) for f in m.query):
                kind = "dotted"
            elif m.paging:
                kind = "page"
            elif m.json_keeping:
                kind = "json"
            elif any(f.cpp_type.startswith("std::vector<cloudflare::") for f in m.fields):
                kind = "nested"
            if kind and extras[kind] > 0:
                extras[kind] -= 1
                chosen.append(m)
        # Operations derived from the SDK's facts (routes the 2024 schema lacks): every resource that
        # gained one, then more in SDK order up to DERIVED_TESTS.
        derived = [m for m in all_models if m.op.spec.get("x-derived-from") and m not in chosen]
        firsts, seen_res = [], set()
        for m in derived:
            if m.resource not in seen_res:
                seen_res.add(m.resource)
                firsts.append(m)
        more = [m for m in derived if m not in firsts]
        chosen += firsts + more[:max(0, self.DERIVED_TESTS - len(firsts))]
        for ms in self.model.unnamed_models.values():
            chosen.append(ms[0])
            if len([c for c in chosen if c.row.get("unnamed")]) >= 3:
                break
        return chosen

    # a value for a params member: C++ statements assigning `lhs`, and the JSON it sends
    def fill(self, lhs, ctype, name, depth=0):
        ctype, opt = unwrap_optional(ctype)
        if ctype == "std::string":
            v = "v-" + re.sub(r"[^a-z0-9]", "", name.lower())[:12]
            return ["%s = %s;" % (lhs, cstr(v))], v
        if ctype == "std::int64_t":
            return ["%s = 7;" % lhs], 7
        if ctype == "double":
            return ["%s = 2.5;" % lhs], 2.5
        if ctype == "bool":
            return ["%s = true;" % lhs], True
        if ctype == "cloudflare::date_time":
            return ['%s = cloudflare::date_time("2024-01-02T03:04:05Z");' % lhs], "2024-01-02T03:04:05Z"
        if ctype == "cloudflare::raw_json":
            return ['%s = cloudflare::raw_json(boost::json::parse(R"json({"k":[1,"two"]})json"));' % lhs], {"k": [1, "two"]}
        if ctype == "cloudflare::file_part":
            return ['%s = cloudflare::file_part{"f.txt", "text/plain", "file-bytes"};' % lhs], {"file": "file-bytes"}
        if ctype.startswith("std::map<std::string, ") and depth < 3:
            inner = ctype[len("std::map<std::string, "):-1]
            stmts, v = self.fill("item%d" % depth, inner, name, depth + 1)
            if stmts is None:
                return None, None
            return (["{", "    %s item%d{};" % (inner, depth)] + ["    " + x for x in stmts] +
                    ['    %s = %s{{"part-1", item%d}};' % (lhs, ctype, depth), "}"]), {"part-1": v}
        if ctype == "cloudflare::binary_body":
            return ['%s = cloudflare::binary_body{"application/octet-stream", std::string("bytes\\0!", 7)};' % lhs], None
        if union_alternatives(ctype) and depth < 3:
            first = union_alternatives(ctype)[0]
            var = "alt%d" % depth
            stmts, v = self.fill(var, first, name, depth + 1)
            if stmts is None:
                return None, None
            return (["{", "    %s %s{};" % (first, var)] + ["    " + x for x in stmts] +
                    ["    %s = %s{std::move(%s)};" % (lhs, ctype, var), "}"]), v
        if ctype.startswith("std::vector<") and depth < 3:
            inner = ctype[len("std::vector<"):-1]
            var = "item%d" % depth
            stmts, v = self.fill(var, inner, name, depth + 1)
            if stmts is None:
                return None, None
            return (["{", "    %s %s{};" % (inner, var)] + ["    " + x for x in stmts] +
                    ["    %s = %s{%s};" % (lhs, ctype, var), "}"]), [v]
        if ctype.startswith("cloudflare::") and depth < 3:
            st = self.model.types.structs.get(self.model.types.canonical(ctype))
            if st and not st.base:
                stmts, obj = self.fill_members(("%s->" if opt else "%s.") % lhs, st, depth)
                return (["%s = %s{};" % (lhs, ctype)] + stmts, obj) if stmts is not None else (None, None)
        return None, None

    def fill_members(self, acc, st, depth=0):
        """Statements setting struct `st`'s required members through `acc` (`p.`), and their JSON."""
        stmts, obj = [], OrderedDict()
        for f in st.fields:
            if f.required:
                sub, v = self.fill(acc + f.cpp_name, f.cpp_type, f.json_name, depth + 1)
                if v is None:
                    return None, None
                stmts += sub
                obj[f.json_name] = v
        return stmts, obj

    def op_test(self, m):
        model = self.model
        ns = "::".join(("cloudflare",) + m.ns)
        ep = "%s::endpoints::%s" % (ns, m.endpoint)
        lines = ["TEST_CASE(%s) {" % cstr("%s: request from params, example response parsed" % m.full_name)]
        # A method the SDK overloads takes its first overload's class.
        lines.append("    %s p{};" % (m.overloads[0] if m.overloads else "::".join(("cloudflare",) + m.ns + (m.params,))))
        values = {}
        if m.scoped:
            lines.append('    p.account_id = "acc-1";')
        qs, body = [], None
        for f in m.fields:
            if f.json_name in ("account_id", "zone_id") and m.scoped:
                continue
            is_path = f in [x for x in m.fields if x.json_name in m.keyword_path and f not in m.query and f not in m.body_fields and f is not m.body_whole]
            wanted = (f.required or is_path or (f in m.query and not qs and not getattr(f, "group", None))
                      or f in m.part_fields)
            if not wanted:
                continue
            if f is m.body_whole and m.overloads:  # the body's members sit beside the path's in `p`
                stmts, v = self.fill_members("p.", self.model.types.structs[self.model.types.canonical(m.overloads[0])])
            else:
                stmts, v = self.fill("p." + f.cpp_name, cpp_field_type(f) if not f.required else f.cpp_type, f.json_name)
            if stmts is None:
                if f.required:
                    return None
                continue
            lines += ["    " + x for x in stmts]
            values[f.json_name] = v
            if f in m.query:
                vals = v if isinstance(v, list) else [v]
                for x in vals:
                    if isinstance(x, bool):
                        x = "true" if x else "false"
                    if isinstance(x, (dict, list)):
                        return None
                    qs.append("%s=%s" % (_quote(f.json_name, safe="-._~"), _quote(str(x), safe="-._~")))
            elif f is m.body_whole and not m.bytes_request:
                body = v
            elif f in m.body_fields:
                body = body if isinstance(body, OrderedDict) else OrderedDict()
                body[f.json_name] = v
        if m.body_kind == "object" and m.body_required and body is None:
            body = OrderedDict()
        # expected URL from the schema's path template
        path = m.op.path
        pos_values = []
        if m.scoped:
            path = "/accounts/acc-1" + ("/" + path.split("/", 3)[3] if path.count("/") >= 3 else "")
        names = re.findall(r"\{([^}]*)\}", path)
        parts = [x for x in m.path_parts if x[0] != "lit"]
        for (kind, n), tmpl in zip(parts, names):
            if kind == "pos":
                val = "id-" + re.sub(r"[^a-z]", "", n)[:8] + " /x"
                pos_values.append(val)
            else:
                val = values.get(n, "v-" + re.sub(r"[^a-z0-9]", "", n.lower())[:12])
            # A `/` kept between segments (annotations.json, "path_segments"), else encoded.
            safe = "-._~!$&'()*+,;=:@" + ("/" if n in m.path_segments else "")
            path = path.replace("{%s}" % tmpl, _quote(str(val), safe=safe), 1)
        url = BASE + path + ("?" + "&".join(qs) if qs else "")
        args = "".join("std::string_view(%s), " % cstr(v) for v in pos_values)
        lines.append("    auto req = cloudflare::build_request<%s>(gen::options(), %sp);" % (ep, args))
        lines.append("    REQUIRE_MESSAGE(req.has_value(), (req ? \"\" : req.error().message()));")
        lines.append("    CHECK(req->method == cloudflare::http::method::%s);" % ("delete_" if m.verb == "delete" else m.verb))
        lines.append("    CHECK(req->url == %s);" % cstr(url))
        if m.body_kind == "multipart":
            lines += self.form_checks(m, values)
        elif m.bytes_request and m.body_whole is not None and m.body_whole.required:
            lines.append('    CHECK(req->body == std::string_view("bytes\\0!", 7));')
            lines.append('    CHECK(req->headers.get("content-type") == "application/octet-stream");')
        elif body is not None:
            lines.append("    CHECK(gen::same_json(req->body, %s));" % cpp_raw(json.dumps(body)))
            lines.append('    CHECK(req->headers.get("content-type") == "application/json");')
        elif not m.bytes_request:
            lines.append("    CHECK(req->body.empty());")
        lines += self.response_checks(m, ep)
        lines.append("}")
        return "\n".join(lines) + "\n\n"

    @staticmethod
    def form_checks(m, values):
        """A multipart body: its media type and boundary, each part set (its headers and bytes:
        text as text, a file with its name and type, other values as JSON) and the closing line."""
        out = ['    const std::string ct(req->headers.get("content-type").value_or(""));',
               '    REQUIRE(ct.starts_with("multipart/form-data; boundary=cloudflare-cpp-form-"));',
               '    const std::string b = "--" + ct.substr(ct.find("=") + 1);',
               '    CHECK(req->body.ends_with(b + "--\\r\\n"));']
        for f in m.part_fields:
            if f.json_name not in values:
                continue
            v = values[f.json_name]
            ctype, _ = unwrap_optional(f.cpp_type)
            entries = list(v.items()) if getattr(f, "part_map", False) else [(f.json_name, v)]
            for name, val in entries:
                head = 'Content-Disposition: form-data; name=\"%s\"' % name
                if ctype == "cloudflare::file_part" or (isinstance(val, dict) and list(val) == ["file"]):
                    text = head + '; filename=\"f.txt\"\r\nContent-Type: text/plain\r\n\r\nfile-bytes\r\n'
                elif isinstance(val, bool):
                    text = head + "\r\n\r\n%s\r\n" % ("true" if val else "false")
                elif isinstance(val, (str, int, float)):
                    text = head + "\r\n\r\n%s\r\n" % val
                else:
                    text = head + "\r\nContent-Type: application/json\r\n\r\n"
                out.append('    CHECK(req->body.find(b + "\\r\\n" + %s) != std::string::npos);' % cstr(text))
        return out

    def response_checks(self, m, ep):
        model = self.model
        # The answer users script with (testing::example_response): example_answer's, one source.
        _, ctype, body = example_answer(model.schema, m)
        out = ["    auto r = cloudflare::parse_response<%s>(cloudflare::testing::example_response<%s>());" % (ep, ep),
               "    REQUIRE_MESSAGE(r.has_value(), (r ? \"\" : r.error().message()));"]
        if m.response_kind == "bytes":
            out.append("    CHECK(r->data == %s);" % cstr(body))
            out.append("    CHECK(r->content_type == %s);" % cstr(ctype))
            return out
        if ctype != "application/json":  # an answer without a body
            return out
        env = json.loads(body, object_pairs_hook=OrderedDict)
        result = env.get("result") if (isinstance(env, dict) and m.envelope != "bare") else env
        if m.response_kind in ("struct", "page"):
            item = result
            acc = "(*r)"
            if m.response_kind == "page":
                if not isinstance(result, list) or not result:
                    return out
                out.append("    REQUIRE(r->items.size() == %d);" % len(result))
                item = result[0]
                acc = "r->items.at(0)"
            key = m.response_struct
            st = model.types.structs.get(key) if key else None
            while st is not None and st.base:
                st = model.types.structs[st.base]
            if st is not None and isinstance(item, dict):
                n = 0
                for f in st.fields:
                    v = item.get(f.json_name)
                    t = f.cpp_type
                    if t == "std::string" and isinstance(v, str):
                        out.append("    CHECK(%s.%s == %s);" % (acc, f.cpp_name, cstr(v)))
                    elif t == "cloudflare::secret" and isinstance(v, str):
                        out.append("    CHECK(%s.%s%s.reveal() == %s);" % (acc, f.cpp_name, "" if f.required else ".value()", cstr(v)))
                    elif t == "std::int64_t" and isinstance(v, int) and not isinstance(v, bool):
                        out.append("    CHECK(%s.%s == %d);" % (acc, f.cpp_name, v))
                    elif t == "bool" and isinstance(v, bool):
                        out.append("    CHECK(%s.%s == %s);" % (acc, f.cpp_name, "true" if v else "false"))
                    elif t.startswith("std::vector<") and isinstance(v, list):
                        out.append("    CHECK(%s.%s%s.size() == %d);" % (acc, f.cpp_name, "" if f.required else ".value()", len(v)))
                    else:
                        continue
                    n += 1
                    if n >= 3:
                        break
                if isinstance(item, dict):
                    out.append("    CHECK(%s.raw.value() == boost::json::parse(%s));" % (acc, cpp_raw(json.dumps(item))))
            elif m.response_kind == "page":
                out.append("    (void)r->items.at(0);")
        elif m.response_kind == "raw":
            out.append("    CHECK(r->value() == boost::json::parse(%s));" % cpp_raw(json.dumps(result)))
        elif m.response_kind == "string" and isinstance(result, str):
            out.append("    CHECK(*r == %s);" % cstr(result))
        elif m.response_kind == "secret" and isinstance(result, str):
            out.append("    CHECK(r->reveal() == %s);" % cstr(result))
        return out

    def emit_example_tests(self, parts=4):
        """Every endpoint's example answer parses into its result type, a TEST_CASE per resource,
        in `parts` files of about equal size (they compile in parallel)."""
        groups = [(res, ms) for res, ms, _ in self.model.headers()]
        total = sum(len(ms) for _, ms in groups)
        files, cur, n = [], [], 0
        for res, ms in groups:
            cur.append((res, ms))
            n += len(ms)
            if n >= total * (len(files) + 1) / parts and len(files) < parts - 1:
                files.append(cur)
                cur = []
        files.append(cur)
        for idx, part in enumerate(files):
            out = [BANNER, "// Every generated endpoint's example answer (`cloudflare::testing::example_response<E>()`)\n"
                   "// parses into its typed result: the response side of every operation, checked.\n",
                   '#include "support.hpp"\n\n']
            for res, _ in part:
                out.append("#include <cloudflare/testing/examples/%s.hpp>\n" % header_path(res))
            out.append("\n")
            for res, ms in part:
                out.append("TEST_CASE(%s) {\n" % cstr("example answers of %s parse" % res))
                for m in ms:
                    out.append('    CHECK(gen::example_problem<%s>() == "");\n' % qual(m.ns, "endpoints::" + m.endpoint))
                out.append("}\n\n")
            self.outputs["tests/generated/test_examples_%d.cpp" % (idx + 1)] = "".join(out)

    def emit(self):
        chosen = self.pick()
        tests = []
        for m in chosen:
            t = self.op_test(m)
            if t:
                tests.append((m, t))
        size = (len(tests) + self.PARTS - 1) // self.PARTS
        for idx, part in enumerate(tests[i:i + size] for i in range(0, len(tests), size)):
            headers = sorted(set(header_path(m.resource) for m, _ in part))
            out = [BANNER.replace("// ", "// "), "// Generated operations against the schema: the exact request built from params, and the\n"
                   "// example answer (testing::example_response, built from the schema's examples) parsed into the\n// typed result.\n",
                   '#include "support.hpp"\n\n']
            for h in headers:
                out.append("#include <cloudflare/testing/examples/%s.hpp>\n" % h)
            out.append("\n")
            out += [t for _, t in part]
            self.outputs["tests/generated/test_ops_%d.cpp" % (idx + 1)] = "".join(out)
        self.emit_example_tests()
        self.test_count = len(tests)
        self.test_tops = sorted(set(m.resource.split(".")[0] for m, _ in tests))


# ------------------------------------------------------------------------------------------------
# The secret rule, over every operation whose answers carry credentials (E::secret_paths): a known
# credential planted at each path of the example answer, the call made through a client, and every
# string the library reports searched for it (tests/generated/secrets_support.hpp).

class SecretTestWriter:
    PLANTED = "Planted-Credential-7Qx2"  # gen::secrets::planted

    def __init__(self, model, outputs):
        self.model = model
        self.outputs = outputs
        self.calls = SweepWriter(model, outputs)

    def plant(self, node, steps):
        """`node` with the credential at the path `steps` (names, `[]`, `{}`), made where absent."""
        if not steps:
            return self.PLANTED
        step, rest = steps[0], steps[1:]
        if step == "[]":
            items = node if isinstance(node, list) and node else [OrderedDict()]
            return [self.plant(x, rest) for x in items]
        if step == "{}":
            entries = node if isinstance(node, dict) and node else OrderedDict([("k", OrderedDict())])
            return OrderedDict((k, self.plant(v, rest)) for k, v in entries.items())
        node = OrderedDict(node) if isinstance(node, dict) else OrderedDict()
        node[step] = self.plant(node.get(step), rest)
        return node

    def answers(self, m):
        """(the example answer with every secret planted, the same refused with success:false or "")."""
        _, _, body = example_answer(self.model.schema, m)
        env = json.loads(body, object_pairs_hook=OrderedDict)
        for path in m.secret_paths:
            env = self.plant(env, re.findall(r"\[\]|\{\}|[^.\[\]{}]+", path))
        failed = ""
        if m.envelope == "standard":
            bad = OrderedDict(env)
            bad["success"] = False
            bad["errors"] = [OrderedDict([("code", 1000), ("message", "refused")])]
            failed = json.dumps(bad)
        return json.dumps(env), failed

    def emit(self):
        tests, headers, self.secret_ops = [], set(), []
        for res, ms, _ in self.model.headers():
            for m in ms:
                if not m.secret_paths:
                    continue
                lines, call = self.calls.call(m)
                if lines is None:
                    raise SystemExit("secrets: %s cannot be called in a test (%s)" % (m.full_name, call))
                self.secret_ops.append(m)
                headers.add(header_path(res))
                ok, failed = self.answers(m)
                tests.append("\n".join(
                    ["TEST_CASE(%s) {" % cstr("secrets: %s: its credentials (%s) stand in secret members (or JSON "
                                              "kept whole) only, and nowhere the library reports" % (m.full_name, ", ".join(m.secret_paths))),
                     "    gen::secrets::check(%s, %s, [](auto& c) {" % (cpp_raw(ok), cpp_raw(failed) if failed else '""')] +
                    ["    " + x for x in lines] + ["        return %s;" % call, "    });", "}", "", ""]))
        out = [BANNER, "// The secret rule (README, \"Secrets\") over every operation whose answers carry credentials.\n",
               '#include "secrets_support.hpp"\n\n']
        out += ["#include <cloudflare/%s.hpp>\n" % h for h in sorted(headers)]
        out += ["\n#include <boost/json/parse.hpp>\n\n#include <string_view>\n#include <utility>\n\n"] + tests
        self.outputs["tests/generated/test_secrets.cpp"] = "".join(out)


# ------------------------------------------------------------------------------------------------
# Request rules over every operation they cover (tests/generated/test_requests_*.cpp): header
# parameters, a required whole JSON body left unset, nullable members, untyped and non-exploded
# query parameters. Params come from the sweep's schema-valid values; each expectation from the
# schema.

class RequestRulesWriter:
    PARTS = 2

    def __init__(self, model, outputs):
        self.model = model
        self.outputs = outputs
        self.sweep = SweepWriter(model, outputs)

    def case(self, m, title, body):
        """A TEST_CASE for `m`: `make()` returns its params with path and required members set
        (those in `skip` left unset); `body` is the case's statements. None if `m` has no such params."""
        ep = qual(m.ns, "endpoints::" + m.endpoint)
        setup, args, why = self.sweep.params_setup(m, self.skip)
        if why:
            self.rules_skipped.append((m.full_name, title, why))
            return None
        out = ["TEST_CASE(%s) {" % cstr("%s: %s" % (m.full_name, title)),
               "    using E = %s;" % ep,
               "    auto make = [] {"] + ["    " + x for x in setup] + ["        return p;", "    };",
               "    auto build = [](const E::params_type& p) { return cloudflare::build_request<E>(gen::options(), %sp); };" % args]
        return "\n".join(out + ["    " + x for x in body] + ["}", ""]) + "\n"

    def header_case(self, m):
        body, values = ["auto p = make();"], []
        for f in m.header_fields:
            text = self.sweep.path_value(f.schema)
            t, _ = unwrap_optional(cpp_field_type(f))
            body.append("p.%s = %s;" % (f.cpp_name, cstr(text) if t == "std::string" else text))
            values.append((f, text))
        body += ["auto req = build(p);", 'REQUIRE_MESSAGE(req.has_value(), (req ? "" : req.error().message()));']
        body += ["CHECK(req->headers.get(%s) == %s);" % (cstr(f.header), cstr(text)) for f, text in values]
        for f in m.header_fields:
            if f.required:
                body += ["p = make();", "p.%s.reset();" % f.cpp_name,
                         "CHECK(gen::refused(build(p), %s));" % cstr("`%s` is required" % f.cpp_name)]
            if unwrap_optional(cpp_field_type(f))[0] == "std::string":
                body += ["p = make();", 'p.%s = "v\\r\\nX-Injected: 1";' % f.cpp_name,
                         "CHECK(gen::refused(build(p), %s));" % cstr("header `%s`" % f.header)]
        return self.case(m, "header parameters are sent when set; a required one unset, or a CR LF, is refused", body)

    def unset_body_block(self, m):
        """A block checking what `m` sends for its required whole JSON body left unset: `{}` (an
        empty object satisfies its schema) or a refusal."""
        setup, args, why = self.sweep.params_setup(m, {m.body_whole})
        if why:
            self.rules_skipped.append((m.full_name, "unset body", why))
            return None
        want = {"empty_object": "{}", "refuse": "refused"}[m.body_unset]
        return "\n".join(["    {"] + ["    " + x for x in setup] + [
            "        CHECK(gen::unset_body_problem<%s>(%s, %sp) == \"\");" % (
                qual(m.ns, "endpoints::" + m.endpoint), cstr(want), args), "    }"]) + "\n"

    def nullable_case(self, m):
        fields = [f for f in m.body_fields if f.nullable]
        body = ["auto p = make();"] + ["p.%s = cloudflare::null;" % f.cpp_name for f in fields]
        body += ["auto req = build(p);", 'REQUIRE_MESSAGE(req.has_value(), (req ? "" : req.error().message()));']
        body += ["CHECK(gen::member_kind(req->body, %s) == \"null\");" % cstr(f.json_name) for f in fields]
        body += ["req = build(make());", 'REQUIRE_MESSAGE(req.has_value(), (req ? "" : req.error().message()));']
        body += ["CHECK(gen::member_kind(req->body, %s) == \"absent\");" % cstr(f.json_name) for f in fields if not f.required]
        for f in fields:
            if f.required:
                body += ["p = make();", "p.%s.reset();" % f.cpp_name,
                         "CHECK(gen::refused(build(p), %s));" % cstr("`%s` is required" % f.cpp_name)]
        return self.case(m, "nullable members send null when set to cloudflare::null, nothing when unset", body)

    def query_case(self, m, fields):
        body, want = ["auto p = make();"], []
        for f in fields:
            if f.cpp_type.startswith("std::vector<"):
                inner = f.cpp_type[len("std::vector<"):-1]
                vals = {"std::int64_t": ["7", "8"], "std::string": ['"a b"', '"c,d"']}.get(inner)
                if vals is None:
                    raise SystemExit("%s: %s: no sample for a %s query array" % (m.full_name, f.json_name, inner))
                body.append("p.%s = %s{%s};" % (f.cpp_name, f.cpp_type, ", ".join(vals)))
                texts = [json.loads(v) if v.startswith('"') else v for v in vals]
            else:  # raw_json: a string and a number, in an array when the style joins them
                body.append('p.%s = cloudflare::raw_json(boost::json::parse(R"json(["a b", 2.5])json"));' % f.cpp_name
                            if f.query_array else 'p.%s = cloudflare::raw_json(boost::json::parse(R"json("a b")json"));' % f.cpp_name)
                texts = ["a b", "2.5"] if f.query_array else ["a b"]
            enc = [_quote(t, safe="-._~") for t in texts]
            name = _quote(f.json_name, safe="-._~")
            want.append(name + "=" + ",".join(enc) if f.query_array else "&".join(name + "=" + e for e in enc))
        body += ["auto req = build(p);", 'REQUIRE_MESSAGE(req.has_value(), (req ? "" : req.error().message()));']
        body += ["CHECK(gen::query_has(req->url, %s));" % cstr(w) for w in want]
        if any(f.cpp_type == "cloudflare::raw_json" for f in fields):
            f = next(f for f in fields if f.cpp_type == "cloudflare::raw_json")
            body += ["p = make();", 'p.%s = cloudflare::raw_json(boost::json::parse(R"json({"k":1})json"));' % f.cpp_name,
                     "CHECK(gen::refused(build(p), %s));" % cstr("`%s` must be a string, number or boolean" % f.json_name)]
        return self.case(m, "query parameters sent as their schema says (untyped values as text, explode: false joined)", body)

    def derived_case(self, m):
        """What only the SDK lists on an operation the schema has (query, JSON body members; header
        ones are header_case's), each set to a value its SDK-derived schema accepts, must reach the
        wire under its JSON name."""
        body, checks = ["auto p = make();"], []
        for f in m.fields:
            group = getattr(f, "group", None)
            subs = [x for x in group.fields if x.derived] if group else [f] if f.derived and not f.header else []
            if not subs:
                continue
            if group:
                body.append("p.%s.emplace();" % f.cpp_name)
            for x in subs:
                lhs = "p.%s->%s" % (f.cpp_name, x.cpp_name) if group else "p." + x.cpp_name
                sub = self.sweep.build(lhs, cpp_field_type(x), x.schema)
                if sub is None:
                    self.rules_skipped.append((m.full_name, "SDK-only members", "no value for %s" % x.json_name))
                    continue
                body += sub
                text = re.fullmatch(r'[^=]+ = ("(?:[^"\\]|\\.)*");', sub[0]) if len(sub) == 1 else None
                plain = unwrap_optional(cpp_field_type(x))[0] == "std::string" and text
                if x in m.body_fields:
                    checks.append('CHECK(gen::member_kind(req->body, %s) %s);' % (
                        cstr(x.json_name), '== "string"' if plain else '!= "absent"'))
                elif plain:  # a string: its exact text, encoded
                    checks.append("CHECK(gen::query_has(req->url, %s));" % cstr(
                        _quote(x.json_name, safe="-._~") + "=" + _quote(json.loads(text.group(1)), safe="-._~")))
                elif unwrap_optional(cpp_field_type(x))[0].startswith("std::vector<cloudflare::"):  # objects: dotted
                    checks.append("CHECK(gen::query_key(req->url, %s, true));" % cstr(_quote(x.json_name, safe="-._~") + "."))
                else:
                    checks.append("CHECK(gen::query_key(req->url, %s));" % cstr(_quote(x.json_name, safe="-._~")))
        if not checks:
            return None
        body += ["auto req = build(p);", 'REQUIRE_MESSAGE(req.has_value(), (req ? "" : req.error().message()));'] + checks
        return self.case(m, "members only the official SDK lists (not the 2024 schema) are sent", body)

    def emit(self):
        self.rules_skipped = []
        cases, bodies = [], []  # (model, text): TEST_CASEs; blocks of the unset-body TEST_CASE
        for m in [m for _, ms, _ in self.model.headers() for m in ms]:
            if m.header_fields:
                self.skip = set()
                cases.append((m, self.header_case(m)))
            if m.body_unset != "omit":  # GET and DELETE send none, as before (tests/test_requests.cpp)
                bodies.append((m, self.unset_body_block(m)))
            if any(f.nullable for f in m.body_fields):
                self.skip = set()
                cases.append((m, self.nullable_case(m)))
            for f in m.query:
                if getattr(f, "group", None) and any(x.query_array or x.cpp_type == "cloudflare::raw_json" for x in f.group.fields):
                    raise SystemExit("%s: a dotted query parameter needs a rule test" % m.full_name)
            if any(f.derived and not f.header for f in m.fields) or any(
                    x.derived for f in m.query if getattr(f, "group", None) for x in f.group.fields):
                self.skip = set()
                cases.append((m, self.derived_case(m)))
            q = [f for f in m.query if f.query_array or f.cpp_type == "cloudflare::raw_json"]
            if q:
                self.skip = set(q)
                cases.append((m, self.query_case(m, q)))
        cases = [(m, t) for m, t in cases if t]
        bodies = [(m, t) for m, t in bodies if t]
        per, per_body = (len(cases) + self.PARTS - 1) // self.PARTS, (len(bodies) + self.PARTS - 1) // self.PARTS
        for idx in range(self.PARTS):
            part = cases[idx * per:(idx + 1) * per]
            body_part = bodies[idx * per_body:(idx + 1) * per_body]
            out = [BANNER, "// Request rules over every operation they cover (part %d of %d): header parameters, an unset\n"
                   "// required JSON body, nullable members, untyped and non-exploded query parameters, members\n"
                   "// only the official SDK lists.\n"
                   '#include "support.hpp"\n\n' % (idx + 1, self.PARTS)]
            for h in sorted(set(header_path(m.resource) for m, _ in part + body_part)):
                out.append("#include <cloudflare/%s.hpp>\n" % h)
            out.append("\n#include <boost/json/parse.hpp>\n\n")
            out += [t for _, t in part]
            if body_part:
                out.append("TEST_CASE(%s) {\n" % cstr("an unset required JSON body: {} where the schema allows it, "
                                                      "else refused (part %d)" % (idx + 1)))
                out += [t for _, t in body_part]
                out.append("}\n")
            self.outputs["tests/generated/test_requests_%d.cpp" % (idx + 1)] = "".join(out)
