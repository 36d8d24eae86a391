"""Names and spellings: JSON and SDK names as C++ identifiers, C++ literals and type expressions.

Every stage uses these; none of them reads the schema."""
import json
import re

CPP_KEYWORDS = set("""alignas alignof and and_eq asm auto bitand bitor bool break case catch char char8_t
char16_t char32_t class compl concept const consteval constexpr constinit const_cast continue co_await
co_return co_yield decltype default delete do double dynamic_cast else enum explicit export extern false
float for friend goto if inline int long mutable namespace new noexcept not not_eq nullptr operator or
or_eq private protected public register reinterpret_cast requires return short signed sizeof static
static_assert static_cast struct switch template this thread_local throw true try typedef typeid
typename union unsigned using virtual void volatile wchar_t while xor xor_eq
assert errno major minor unix linux""".split())


def ident(name):
    """A JSON or SDK name as a C++ identifier: non-identifier characters become `_`, keywords get `_`.
    Runs of `_` become one and `_X` gets an `x` first: `__` and `_X` are reserved in C++."""
    s = squeeze(re.sub(r"[^A-Za-z0-9_]", "_", name))
    if not s or s[0].isdigit():
        s = "_" + s
    if len(s) > 1 and s[0] == "_" and s[1].isupper():
        s = "x" + s
    if s in CPP_KEYWORDS:
        s += "_"
    return s


def squeeze(name):
    """Joined names (`default_` + `_resource`, `body_` + `_0rtt`) without a reserved `__`."""
    return re.sub(r"__+", "_", name)


def snake(name):
    s = re.sub(r"[^A-Za-z0-9]+", "_", name)
    s = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", s).lower().strip("_")
    return ident(s)


def member_init(cpp_type):
    """`{}` for a member, except a std::variant: Clang instantiates a variant's whole destructor
    for a `{}` initializer even in a TU that never builds the struct. Without it the member is
    value-initialized all the same. (A request's choices are `cloudflare::one_of`, whose `{}`
    makes only its first alternative.)"""
    return "" if cpp_type.startswith("std::variant<") else "{}"


ONE_OF = "cloudflare::one_of<"


def union_alternatives(ctype):
    """The alternatives of a choice type (`cloudflare::one_of<...>` sent, `std::variant<...>`
    read), or None when `ctype` is not one."""
    for w in (ONE_OF, "std::variant<"):
        if ctype.startswith(w):
            return split_targs(ctype[len(w):-1])
    return None


def cstr(text):
    """A C++ string literal (JSON's escapes are valid C++ escapes)."""
    return json.dumps(text)


def cpp_raw(text):
    delim = "json"
    while (")%s\"" % delim) in text:
        delim += "_"
    return 'R"%s(%s)%s"' % (delim, text, delim)


def qual(ns, name):
    """`name` in namespace `ns` (a path of names), fully qualified: `cloudflare::a::b::name`."""
    return "::".join(("cloudflare",) + tuple(ident(x) for x in ns) + (name,))


def norm_route(path):
    return re.sub(r"\{[^}]*\}", "{}", path)


def doc_line(text, limit=100):
    if not text:
        return ""
    t = " ".join(str(text).split())
    t = t.replace("*/", "* /").replace("\\", "/")
    m = re.match(r"(.+?[.!?])(\s|$)", t)
    if m:
        t = m.group(1)
    if len(t) > limit:
        t = t[: limit - 3].rstrip() + "..."
    return t


def type_path(file):
    """src/cloudflare/types/a/b/name.py -> (('a','b'), 'name')"""
    if not file:
        return None
    parts = file[len("src/cloudflare/types/"):-3].split("/")
    return tuple(ident(p) for p in parts[:-1]), ident(parts[-1])


def unwrap_return(ret):
    """(wrapper, inner): 'SyncV4PagePaginationArray[X]' -> ('SyncV4PagePaginationArray', 'X')."""
    m = re.match(r"^(\w+)\[(.*)\]$", ret)
    if not m:
        return "", ret
    outer, inner = m.group(1), m.group(2)
    if outer == "Optional":
        return unwrap_return(inner)
    return outer, inner


def unwrap_optional(ctype):
    """(the value type, whether `ctype` wraps it): `std::optional<T>` and `cloudflare::nullable<T>`
    hold a `T` (assigned as one, members reached with `->`)."""
    for w in ("std::optional<", "cloudflare::nullable<"):
        if ctype.startswith(w):
            return ctype[len(w):-1], True
    return ctype, False


def split_targs(text):
    """Top-level template arguments: 'a<b, c>, d' -> ['a<b, c>', 'd']."""
    out, depth, cur = [], 0, ""
    for ch in text:
        if ch == "," and depth == 0:
            out.append(cur.strip())
            cur = ""
            continue
        depth += ch == "<"
        depth -= ch == ">"
        cur += ch
    return out + [cur.strip()]


def named_as_parent(parts):
    """A resource named as its parent (`zero_trust.devices.devices`): the SDK keeps it in
    `devices_.py`, and it cannot share its parent's namespace and class name."""
    return len(parts) > 1 and parts[-1] == parts[-2]


def header_path(resource):
    """The header of a resource, as the SDK names its file: `a.b.c` is <cloudflare/a/b/c.hpp>,
    except a resource named as its parent (`zero_trust.devices.devices`), which the SDK keeps in
    `devices_.py` beside the parent's `devices/devices.py`: <cloudflare/zero_trust/devices/devices_.hpp>.
    (`<a>/<b>/<b>.hpp` stays every resource under a.b.)"""
    parts = resource.split(".")
    return "/".join(parts) + ("_" if named_as_parent(parts) else "")
