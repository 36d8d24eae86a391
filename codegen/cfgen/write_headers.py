"""The C++ header writer: include/cloudflare/resources.hpp (the client's resource tree, each node's
calls declared over forward-declared types), a header per resource (its types, params, endpoint
types and the definitions of its calls) and the aggregate headers."""
from collections import OrderedDict

from cfgen.model import cpp_field_type
from cfgen.names import cstr, header_path, ident, member_init, named_as_parent, qual, squeeze
from cfgen.outputs import BANNER


class HeaderWriter:
    """Writes into `outputs` (path -> text) from `model`. Call emit_tree first (the resource
    headers name its nodes), then emit_resource per header in model.headers() order (a struct goes
    in the first header that uses it), then emit_aggregates."""

    def __init__(self, model, outputs):
        self.model = model
        self.outputs = outputs

    def emit_tree(self):
        nodes = self.node_info()
        self.nodes = nodes
        out = [BANNER, "// cloudflare-cpp: the resource tree of `cloudflare::client`. Each node declares its calls over\n"
               "// forward-declared types, so including the client parses no resource's body: a resource's\n"
               "// types and the definitions of its calls live in its own header (include it to call them).\n",
               "#pragma once\n\n#include <cloudflare/client_options.hpp>\n#include <cloudflare/error.hpp>\n\n"
               "#include <string_view>\n\n"]
        out.append("namespace cloudflare {\ntemplate <class T> struct page;\nstruct empty_result;\nclass raw_json;\nstruct binary_response;\n"
                   "template <class Core, class E, bool Throwing> class basic_pager;\n} // namespace cloudflare\n\n")
        # forward declarations
        fwd = OrderedDict()
        for res, ms in self.model.models.items():
            for m in ms:
                fwd.setdefault(m.ns, set()).add(m.params)
                if m.paging:
                    fwd.setdefault(m.ns + ("endpoints",), set()).add(m.endpoint)
                # Only what the declarations name: nested types stay in their resource's header.
                if m.response_struct:
                    fwd.setdefault(m.response_struct[0], set()).add(m.response_struct[1])
        for ns in sorted(fwd):
            if not ns:
                continue
            out.append("namespace %s {\n" % "::".join(("cloudflare",) + ns))
            for n in sorted(fwd[ns]):
                out.append("struct %s;\n" % n)
            out.append("} // namespace\n")
        out.append("\n")
        # The nodes are trivially constructible: the root binds every node to the core in one flat
        # function. Constructors that each bind their children cost the optimizer some 500 inline
        # functions in every TU that builds a client.
        def full(p):
            return "::".join(("cloudflare",) + tuple(ident(x) for x in self.node_ns(p, nodes)) + (self.node_class(p),))
        order = sorted((p for p in nodes if p), key=lambda p: (-len(p), p))
        out.append("namespace cloudflare::detail {\ntemplate <class Core> struct resource_root;\n} // namespace cloudflare::detail\n")
        for p in sorted(order):
            if nodes[p]["children"]:  # a parent names its children's constructor as a friend
                out.append("namespace %s {\ntemplate <class Core> class %s;\n} // namespace\n" % (
                    "::".join(("cloudflare",) + tuple(ident(x) for x in self.node_ns(p, nodes))), self.node_class(p)))
        out.append("\n")
        for p in order:
            info = nodes[p]
            ns = self.node_ns(p, nodes)
            out.append("namespace %s {\n" % "::".join(("cloudflare",) + tuple(ident(x) for x in ns)))
            out.append("/// `client.%s`%s\n" % (".".join(p), "" if not info["methods"] else
                       ": calls defined in <cloudflare/%s.hpp>" % header_path(".".join(p))))
            out.append("template <class Core>\nclass %s {\npublic:\n" % self.node_class(p))
            for m in info["methods"]:
                out.append("    /// %s %s\n" % (m.verb.upper(), m.op.path))
                out.append("    %s;\n" % self.signature(m, False))
                if m.paging:
                    out.append("    %s;\n" % self.pager_signature(m, False))
            if info["methods"]:
                out.append("#if CLOUDFLARE_HAS_EXCEPTIONS\n")
                for m in info["methods"]:
                    out.append("    %s;\n" % self.signature(m, True))
                    if m.paging:
                        out.append("    %s;\n" % self.pager_signature(m, True))
                out.append("#endif\n")
            for c in info["children"]:
                out.append("    %s<Core> %s;\n" % (full(p + (c,)), ident(c)))
            # Only the client makes nodes (a node made elsewhere would point nowhere).
            out.append("\nprivate:\n    friend struct cloudflare::detail::resource_root<Core>;\n")
            if len(p) > 1:
                out.append("    friend class %s<Core>;\n" % full(p[:-1]))
            out.append("    %s() = default;\n" % self.node_class(p))
            if info["methods"]:
                out.append("    Core* core_;\n")
            out.append("};\n} // namespace\n\n")
        # the root
        out.append("namespace cloudflare::detail {\n/// The top-level resources of a client.\ntemplate <class Core>\n"
                   "struct resource_root {\n")
        for c in nodes[()]["children"]:
            out.append("    %s<Core> %s;\n" % (full((c,)), ident(c)))
        out.append("\nprotected:\n    /// Points every resource at `core` (null: a moved-from client, whose calls fail cleanly).\n"
                   "    void bind_resources(Core* core) noexcept {\n")
        bound = sorted(p for p in nodes if p and nodes[p]["methods"])
        for p in bound:
            out.append("        %s.core_ = core;\n" % ".".join(ident(x) for x in p))
        out.append("%s    }\n};\n} // namespace cloudflare::detail\n" % ("" if bound else "        (void)core;\n"))
        self.outputs["include/cloudflare/resources.hpp"] = "".join(out)

    def node_info(self):
        """Resource tree: path tuple -> {'children': [...], 'methods': [...]}"""
        nodes = OrderedDict()
        nodes[()] = {"children": [], "methods": []}
        for res, ms in self.model.models.items():
            parts = tuple(res.split("."))
            for i in range(1, len(parts) + 1):
                p = parts[:i]
                if p not in nodes:
                    nodes[p] = {"children": [], "methods": []}
                    nodes[p[:-1]]["children"].append(p[-1])
            nodes[parts]["methods"] = ms
        return nodes

    def node_ns(self, p, nodes):
        """A node with children opens its own namespace; a leaf lives in its parent's, unless it is
        named as its parent (`zero_trust.devices.devices`): its class would be the parent's."""
        return p if nodes[p]["children"] or named_as_parent(p) else p[:-1]

    def node_class(self, p):
        return squeeze(ident(p[-1]) + "_resource")

    def signature(self, m, throwing, qualify=""):
        pos = "".join("std::string_view %s, " % ident(p) for p in m.positional)
        ret = m.response
        if not throwing:
            ret = "cloudflare::result<%s>" % ret
        name = (m.method if throwing else "try_" + m.method)
        return "%s %s%s(%sconst %s& params, const cloudflare::request_options& options%s)" % (
            ret, qualify, name, pos, qual(m.ns, m.params), "" if qualify else " = {}")

    def pager_signature(self, m, throwing, qualify=""):
        ep = qual(m.ns, "endpoints::" + m.endpoint)
        pos = "".join("std::string_view %s, " % ident(p) for p in m.positional)
        return "cloudflare::basic_pager<Core, %s, %s> %s%s_all(%s%s params, cloudflare::request_options options%s)" % (
            ep, "true" if throwing else "false", qualify, m.method if throwing else "try_" + m.method, pos,
            qual(m.ns, m.params), "" if qualify else " = {}")

    def emit_resource(self, res, ms, tree=True):
        parts = tuple(res.split("."))
        rel = "include/cloudflare/%s.hpp" % header_path(res)
        nodes = self.nodes
        # structs used by this resource, in dependency order
        wanted = set()
        for m in ms:
            wanted |= m.param_deps

        def close(k):
            if k in seen:
                return
            seen.add(k)
            for d in self.model.types.structs[k].deps:
                close(d)
        seen = set()
        for k in list(wanted):
            close(k)
        sts = [st for k, st in self.model.types.structs.items() if k in seen]
        owner = getattr(self, "owner", {})
        self.owner = owner
        mine, foreign = [], set()
        for st in sts:
            k = (st.ns, st.name)
            if k not in owner:
                owner[k] = rel
            if owner[k] == rel:
                mine.append(st)
            else:
                foreign.add(owner[k])
        title = ("`client.%s`: its types, endpoint declarations and calls" % res) if tree else (
            "operations without an SDK name under `%s`, as endpoint types for `client.call<E>(options, params)`" % res)
        out = [BANNER, "// cloudflare-cpp: %s.\n" % title,
               "#pragma once\n\n",
               "#include <cloudflare/binary.hpp>\n#include <cloudflare/endpoint.hpp>\n#include <cloudflare/one_of.hpp>\n#include <cloudflare/pager.hpp>\n#include <cloudflare/raw_json.hpp>\n"
               "#include <cloudflare/resources.hpp>\n#include <cloudflare/secret.hpp>\n#include <cloudflare/timestamp.hpp>\n"]
        for f in sorted(foreign):
            out.append("#include <%s>\n" % f[len("include/"):])
        out.append("\n#include <array>\n#include <cstdint>\n#include <map>\n"
                   "#include <optional>\n#include <string>\n#include <string_view>\n#include <variant>\n#include <vector>\n\n")
        cur = None
        for st in mine:
            if st.ns != cur:
                if cur is not None:
                    out.append("} // namespace\n\n")
                out.append("namespace %s {\n\n" % "::".join(("cloudflare",) + st.ns))
                cur = st.ns
            out.append(self.emit_struct(st))
        if cur is not None:
            out.append("} // namespace\n\n")
        by_ns = OrderedDict()
        for m in ms:
            by_ns.setdefault(m.ns, []).append(m)
        for ns, group in by_ns.items():
            out.append("namespace %s {\n\n" % "::".join(("cloudflare",) + ns))
            for m in group:
                out.append(self.emit_params(m))
            out.append("namespace endpoints {\n\n")
            for m in group:
                out.append(self.emit_endpoint(m))
            out.append("} // namespace endpoints\n} // namespace\n\n")
        if not tree:
            self.outputs[rel] = "".join(out)
            return
        cls = "::".join(("cloudflare",) + tuple(ident(x) for x in self.node_ns(parts, nodes)) + (self.node_class(parts),))
        out.append("namespace cloudflare {\n\n")
        for m in ms:
            ep = qual(m.ns, "endpoints::" + m.endpoint)
            args = "".join("%s, " % ident(p) for p in m.positional)
            out.append("template <class Core>\n%s {\n    return Core::template invoke<%s>(core_, options, %sparams);\n}\n" % (
                self.signature(m, False, "%s<Core>::" % cls), ep, args))
            if m.paging:
                out.append("template <class Core>\n%s {\n    return {core_, std::move(params), std::move(options)%s};\n}\n" % (
                    self.pager_signature(m, False, "%s<Core>::" % cls), "".join(", " + ident(p) for p in m.positional)))
        out.append("#if CLOUDFLARE_HAS_EXCEPTIONS\n")
        for m in ms:
            args = "".join("%s, " % ident(p) for p in m.positional)
            out.append("template <class Core>\n%s {\n    return try_%s(%sparams, options).value();\n}\n" % (
                self.signature(m, True, "%s<Core>::" % cls), m.method, args))
            if m.paging:
                out.append("template <class Core>\n%s {\n    return {core_, std::move(params), std::move(options)%s};\n}\n" % (
                    self.pager_signature(m, True, "%s<Core>::" % cls), "".join(", " + ident(p) for p in m.positional)))
        out.append("#endif\n\n} // namespace cloudflare\n")
        self.outputs[rel] = "".join(out)

    def emit_struct(self, st):
        text = self.emit_struct_body(st)
        for a in st.aliases:
            text += "/// The same object as `%s` (one schema, one type).\nusing %s = %s;\n\n" % (st.name, a, st.name)
        return text

    def emit_struct_body(self, st):
        out = []
        out.append("/// %s\n" % (st.doc or ("`%s`" % st.name)))
        if st.union:
            key, tags, types = st.union
            out.append("struct %s {\n" % st.name)
            out.append("    /// The kind this is (`std::monostate`: a kind this version does not know; see `raw`).\n")
            out.append("    std::variant<std::monostate, %s> value;\n" % ", ".join(types))
            out.append("    cloudflare::raw_json raw; ///< the whole JSON object, unknown fields included\n")
            out.append("    static constexpr std::string_view tag_key = %s;\n" % cstr(key))
            out.append("    static constexpr std::array<std::string_view, %d> tags{%s};\n" % (len(tags), ", ".join(cstr(t) for t in tags)))
            out.append("    /// The alternative `T`, or null when the object is another kind.\n")
            out.append("    template <class T>\n    const T* get_if() const noexcept { return std::get_if<T>(&value); }\n")
            out.append("};\n\n")
            return "".join(out)
        if st.base:
            base = "::".join(("cloudflare",) + st.base[0] + (st.base[1],))
            out.append("struct %s : %s {};\n\n" % (st.name, base))
            return "".join(out)
        out.append("struct %s {\n" % st.name)
        if st.prefix:  # an SDK overload's params class: the call's other members too, never in the body
            out.append("    // In the SDK overload's keyword order; %s %s `%s`'s path, query or header, the rest its JSON body.\n" % (
                ", ".join("`%s`" % f.cpp_name for f in st.prefix), "is" if len(st.prefix) == 1 else "are",
                st.overload_of.full_name))
        lines = [(f, self.member_lines(st.overload_of, [f])[0]) for f in st.prefix or []]
        for f in st.fields:
            t = cpp_field_type(f)
            doc = ("  ///< " + f.doc) if f.doc else ""
            lines.append((f, "    %s %s%s;%s\n" % (t, f.cpp_name, member_init(f.cpp_type), doc)))
        if st.sdk_order:  # what the SDK's class lists first, in its order; what only the schema has follows
            rank = {n: i for i, n in enumerate(st.sdk_order)}

            def place(i):  # a C++ keyword's `_` is not in the SDK's name
                name = lines[i][0].cpp_name
                return rank.get(name, rank.get(name.rstrip("_"), len(rank) + i))
            lines = [lines[i] for i in sorted(range(len(lines)), key=place)]
        out += [line for _, line in lines]
        if st.top:
            out.append("    cloudflare::raw_json raw; ///< the whole JSON object, unknown fields included\n")
            out.append("    /// Members the answer had but the client could not read, each left empty and named by its\n"
                       "    /// path, never its value (see `cloudflare::response_validation`).\n")
            out.append("    std::vector<std::string> warnings;\n")
        out.append(self.emit_member_walk(st.fields))
        out.append("};\n\n")
        return "".join(out)

    @staticmethod
    def emit_member_walk(fields):
        """How the library reads and writes a struct: `f(json_name, member)` per member, in order."""
        out = ["    /// Calls `f(json_name, member)` for each member, in order: how the library reads and writes it.\n",
               "    template <class S, class F>\n    static void cloudflare_members(%s, %s) {\n" % (
                   "S& s" if fields else "S&", "F&& f" if fields else "F&&")]
        for f in fields:
            out.append("        f(%s, s.%s);\n" % (cstr(f.json_name), f.cpp_name))
        out.append("    }\n")
        return "".join(out)

    def emit_params(self, m):
        out = ["/// Parameters of `%s` (%s %s).\n" % (m.full_name, m.verb.upper(), m.op.path)]
        if m.overloads:
            v = "cloudflare::one_of<%s>" % ", ".join(m.overloads)
            out.append("/// One of the SDK's overloads of the call, each a params class of its own (pick one).\n")
            out.append("struct %s : %s {\n    using %s::one_of;\n};\n\n" % (m.params, v, v))
            return "".join(out)
        out.append("struct %s {\n" % m.params)
        out += self.member_lines(m, m.fields)
        out.append("};\n\n")
        if m.params_aliases:  # the SDK's overloads all take these members
            out.append("// The SDK's overload classes of `%s`: all alike, each is this struct.\n" % m.full_name)
            out += ["using %s = %s; ///< the SDK's overload class of that name\n" % (a, m.params) for a in m.params_aliases]
            out.append("\n")
        return "".join(out)

    @staticmethod
    def member_lines(m, fields):
        """A params struct's member declarations (a call taking `account_id` or `zone_id` takes
        either: both optional)."""
        out = []
        for f in fields:
            t = cpp_field_type(f)
            if f.json_name in ("account_id", "zone_id") and m.scoped:
                t = "std::optional<std::string>"
            doc = ("  ///< " + f.doc) if f.doc else ""
            out.append("    %s %s%s;%s\n" % (t, f.cpp_name, member_init(t), doc))
        return out

    def emit_endpoint(self, m):
        out = ["/// %s %s (`%s`)\n" % (m.verb.upper(), m.op.path, m.op.spec.get("operationId", ""))]
        out.append("struct %s {\n" % m.endpoint)
        out.append("    using params_type = %s;\n" % m.params)
        out.append("    using response_type = %s;\n" % m.response)
        out.append("    static constexpr cloudflare::http::method method = cloudflare::http::method::%s;\n" % ("delete_" if m.verb == "delete" else m.verb))
        out.append("    static constexpr bool idempotent = %s;\n" % ("true" if m.idempotent else "false"))
        out.append('    static constexpr std::string_view name = "%s";\n' % m.full_name)
        if m.response_kind == "empty" or getattr(m, "result_may_be_null", False):
            out.append("    static constexpr bool result_optional = true;\n")
        if m.no_content:
            out.append("    static constexpr bool no_content = true;\n")
        if not m.needs_credentials:
            out.append("    static constexpr bool needs_credentials = false; ///< its security asks for none\n")
        if m.user_service_key:
            out.append("    static constexpr bool accepts_user_service_key = true; ///< its security lists user_service_key\n")
        if m.paging == "cursor":
            out.append("    static constexpr cloudflare::paging_style paging = cloudflare::paging_style::cursor;\n")
        if m.paging and m.positional:
            out.append("    static constexpr std::size_t positional_params = %d;\n" % len(m.positional))
        if m.envelope != "standard":
            out.append("    static constexpr cloudflare::detail::envelope_style envelope = cloudflare::detail::envelope_style::%s;\n" % m.envelope)
        if m.secret_paths:
            out.append("    /// Credentials in its answers: no excerpt shows them (codegen/annotations.json, \"secrets\").\n")
            out.append("    static constexpr std::array<std::string_view, %d> secret_paths{%s};\n" % (
                len(m.secret_paths), ", ".join(cstr(p) for p in m.secret_paths)))
        pos = "".join("std::string_view %s, " % ident(p) for p in m.positional)
        uses_p = m.scoped or m.query or m.header_fields or m.body_fields or m.body_whole is not None or \
            any(k == "kw" for k, _ in m.path_parts)
        # A template, so a TU compiles the request building of the calls it makes only.
        out.append("    template <class Builder>\n    static void describe(Builder& b, %sconst %s&%s) {\n" % (
            pos, m.params, (" params" if m.overloads else " p") if uses_p else ""))
        head = len(out)
        line = "        b"
        if m.scoped:
            line += ".scope(p.account_id, p.zone_id)"
        for kind, v in m.path_parts:
            if kind == "lit":
                line += '.path(%s)' % cstr(v)
            else:
                call = "segments" if v in m.path_segments else "param"  # a `/` kept (annotations.json)
                line += '.%s(%s, %s)' % (call, cstr(v), ident(v) if kind == "pos" else "p." + m.path_members[v])
        out.append(line + ";\n")
        for f in m.query:
            if getattr(f, "group", None):
                out.append("        if (p.%s) {\n" % f.cpp_name)
                for sub in f.group.fields:
                    out.append('            %s;\n' % self.query_call(sub, "p.%s->%s" % (f.cpp_name, sub.cpp_name)))
                out.append("        }\n")
            else:
                out.append('        %s;\n' % self.query_call(f, "p." + f.cpp_name))
        out += self.header_lines(m)
        for f in m.body_fields:
            if getattr(f, "non_empty", False):
                out.append('        if (p.%s.empty()) b.fail("Expected a non-empty value for `%s`");\n' % (f.cpp_name, f.json_name))
            if f.nullable and f.required:
                out.append('        b.require(%s, p.%s);\n' % (cstr(f.cpp_name), f.cpp_name))
            out.append('        b.body().field(%s, p.%s);\n' % (cstr(f.json_name), f.cpp_name))
        if m.body_kind == "multipart":
            out.append("        b.multipart();\n")
        for f in m.part_fields:
            if getattr(f, "part_map", False):
                out.append("        b.parts(p.%s, %s);\n" % (f.cpp_name, cstr(f.cpp_name)))
            else:
                out.append("        b.part(%s, p.%s);\n" % (cstr(f.json_name), f.cpp_name))
        if m.body_whole is not None:
            unset = "" if m.body_unset == "omit" else ", cloudflare::detail::unset_body::" + m.body_unset
            out.append("        b.%s(%s%s);\n" % ("bytes" if m.bytes_request else "body().whole",
                                                 "p" if m.overloads else "p." + m.body_whole.cpp_name, unset))
        if m.body_kind == "object" and m.body_required:
            out.append("        b.body().ensure_object();\n")
        if m.overloads:  # the same request from whichever overload's class was given
            out[head:] = ["        params.visit([&](const auto& p) {\n"] + ["    " + x for x in out[head:]] + [
                "        });\n"]
        out.append("    }\n};\n\n")
        return "".join(out)

    @staticmethod
    def query_call(f, member):
        """`b.query(name, member)`, with the array style its schema gives."""
        style = ", cloudflare::detail::query_array::%s" % f.query_array if f.query_array else ""
        return "b.query(%s, %s%s)" % (cstr(f.json_name), member, style)

    @staticmethod
    def header_lines(m):
        """Header parameters, each sent when set; a required one left unset names its member, so
        the call is refused unless request_options or default_headers give that header."""
        return ['        b.header(%s, p.%s%s);\n' % (cstr(f.header), f.cpp_name, ", " + cstr(f.cpp_name) if f.required else "")
                for f in m.header_fields]

    def emit_aggregates(self):
        """<a>/<b>/<b>.hpp includes every resource header under a.b (a convenience)."""
        for p, info in self.nodes.items():
            if not p or not info["children"]:
                continue
            rel = "include/cloudflare/%s/%s.hpp" % ("/".join(p), p[-1])
            if rel in self.outputs:
                continue
            under = [r for r in self.model.models if tuple(r.split(".")[:len(p)]) == p]
            out = [BANNER, "// cloudflare-cpp: every resource under `client.%s`.\n#pragma once\n\n" % ".".join(p)]
            for r in under:
                out.append("#include <cloudflare/%s.hpp>\n" % header_path(r))
            self.outputs[rel] = "".join(out)
