"""The example answers: include/cloudflare/testing/examples/<resource>.hpp, each endpoint's answer
built from the schema's examples (`cloudflare::testing::example_response<E>()`). The generated
tests parse the same answers (example_answer), so there is one source for both."""
import copy
import json
from collections import OrderedDict

from cfgen.names import cpp_raw, cstr, header_path, qual
from cfgen.outputs import BANNER


def emit_examples(model, outputs, res, ms):
    """<cloudflare/testing/examples/<resource path>.hpp>: each endpoint's example answer."""
    path = header_path(res)
    out = [BANNER, "// cloudflare-cpp: the example answer of each endpoint in <cloudflare/%s.hpp>, for tests\n"
           "// (`cloudflare::testing::example_response<E>()`), built from the schema.\n#pragma once\n\n" % path,
           "#include <cloudflare/%s.hpp>\n#include <cloudflare/testing/example_response.hpp>\n\n" % path,
           "#include <string_view>\n\nnamespace cloudflare::testing {\n\n"]
    for m in ms:
        status, ctype, body = example_answer(model.schema, m)
        out.append("/// %s %s (`%s`)\ntemplate <>\nstruct example<%s> {\n" % (
            m.verb.upper(), m.op.path, m.full_name, qual(m.ns, "endpoints::" + m.endpoint)))
        out.append("    static constexpr int status = %d;\n" % status)
        out.append("    static constexpr std::string_view content_type = %s;\n" % cstr(ctype))
        # JSON as a raw literal (readable); other bodies escaped (a raw literal cannot hold a CR).
        lit = cpp_raw(body) if ctype == "application/json" else cstr(body)
        out.append("    static constexpr std::string_view body = %s;\n};\n\n" % lit)
    out.append("} // namespace cloudflare::testing\n")
    outputs["include/cloudflare/testing/examples/%s.hpp" % path] = "".join(out)


def example_of(schema, f, depth=0):
    """A JSON value valid for schema `f`: property examples where they fit the type."""
    s = schema.flatten(f)
    if "x-recursive" in s:
        return {}
    if depth > 14:  # deep enough for every schema but the recursive one: stop with the right kind
        if s.get("type") == "array":
            return []
        if s.get("type") == "object" or s.get("properties"):
            return {}
    for key in ("oneOf", "anyOf"):
        if key in s and s[key]:
            alt = example_of(schema, s[key][0], depth + 1)
            if not (s.get("properties") and isinstance(alt, dict)):
                return alt
            # allOf [a union, {properties}] (an envelope whose `result` is refined): the
            # properties win, as they do in the generated type.
            rest = example_of(schema, {k: v for k, v in s.items() if k not in ("oneOf", "anyOf")}, depth + 1)
            alt.update(rest)
            return alt
    t = s.get("type")
    ex = s.get("example")
    if t is None and s.get("properties"):
        t = "object"
    if t is None and "enum" in s:
        t = "string"
    if t == "object" or s.get("properties"):
        out = OrderedDict()
        for k, v in s.get("properties", {}).items():
            out[k] = example_of(schema, v, depth + 1)
        ap = s.get("additionalProperties")
        if not out and isinstance(ap, dict) and ap:
            out["key"] = example_of(schema, ap, depth + 1)
        return out
    if t == "array":
        return [example_of(schema, s.get("items", {}), depth + 1)] if s.get("items") else []
    if t == "string":
        if s.get("format") == "date-time":
            return "2024-01-02T03:04:05Z"
        if "enum" in s and s["enum"]:
            return s["enum"][0]
        return ex if isinstance(ex, str) else "string"
    if t == "integer":
        return ex if isinstance(ex, int) and not isinstance(ex, bool) else 1
    if t == "number":
        return ex if isinstance(ex, (int, float)) and not isinstance(ex, bool) else 1.5
    if t == "boolean":
        return ex if isinstance(ex, bool) else True
    return copy.deepcopy(ex) if ex is not None else {}  # a copy: callers edit what they get


def example_answer(schema, m):
    """(status, content type, body) of an example answer of `m`, as the tests and
    `testing::example_response` use it: the schema's property examples, in its envelope."""
    o = m.op
    code, resp = "200", None
    for c in sorted(o.spec.get("responses", {})):
        if c.startswith("2"):
            code, resp = c, schema.resolve(o.spec["responses"][c])
            break
    status = int(code) if code.isdigit() else 200
    content = (resp or {}).get("content", {})
    if m.response_kind == "bytes":
        ctype = next(iter(content), "application/octet-stream")
        if "/" not in ctype:  # five responses name their media type literally "string"
            ctype = "application/octet-stream"
        ctype = ctype.replace("/*", "/png" if ctype.startswith("image/") else "/octet-stream")  # no server sends a wildcard
        if ctype.startswith("multipart/"):
            # A multipart body needs its boundary to be one (a Worker script's content).
            return status, ctype + "; boundary=cf-example", ('--cf-example\r\nContent-Disposition: form-data; name="worker.js"\r\n'
                                                              "\r\nexport default {};\r\n--cf-example--\r\n")
        return status, ctype, "a,b\n1,2\n" if "csv" in ctype else "example bytes"
    if m.response_kind == "empty" and not content:
        if m.no_content:
            return status, "", ""  # what the schema documents: an answer without a body
        return status, "application/json", '{"success":true,"errors":[],"messages":[],"result":null}'
    env = example_of(schema, content["application/json"].get("schema", {}))
    if isinstance(env, dict) and m.envelope != "bare":
        env["success"] = True
        env["errors"] = []
        env["messages"] = []
    return status, "application/json", json.dumps(env)
