#!/usr/bin/env python3
"""Turns every C++ code block of README.md into one translation unit that the tests compile,
so the documentation cannot drift from the API.

Usage: extract.py README.md OUTPUT.cpp     writes the translation unit
       extract.py --list README.md          prints each snippet's line and kind

A ```cpp (also c++, cxx, cc) block is one of two kinds:
- file: code at namespace scope (#include, structs, static_assert, functions);
- statements: a few lines of a function body using names the reader is assumed to have
  (`client`, `options`, `my_http_stack`...); tests/readme/prelude.hpp declares those.
The kind is read from the code: a block with a statement at its top level (if, for, return,
co_await, a call such as `fake.push(...)`, an assignment) is statements, else file. An HTML
comment on the line before the fence overrides it: <!-- snippet: file --> or
<!-- snippet: statements -->. #include lines of either kind move to the top of the file.
Each snippet gets its own namespace, so two snippets may declare the same name. `#line`
directives make compiler errors point at README.md's lines. Statements that co_await or
co_return are compiled as the body of a coroutine (readme_prelude::coroutine).
Standard library only: it runs at build time wherever meson does.
"""
import os
import re
import sys

CPP_LANGUAGES = {"cpp", "c++", "cxx", "cc"}
MARKER = re.compile(r"^\s*<!--\s*snippet:\s*(\S+)\s*-->\s*$")
KINDS = {"file", "statements"}
FENCE = re.compile(r"^( {0,3})(`{3,}|~{3,})\s*([^`\s]*)")

# A top-level statement that starts with one of these cannot be a declaration.
STATEMENT_KEYWORDS = {
    "if", "else", "for", "while", "do", "switch", "return", "co_return", "co_await", "co_yield",
    "try", "throw", "break", "continue", "goto", "case", "default", "delete", "new",
}
# Words that start a declaration, never an expression statement.
DECLARATION_KEYWORDS = {
    "namespace", "using", "struct", "class", "union", "enum", "template", "typedef", "extern",
    "inline", "static", "constexpr", "consteval", "constinit", "const", "volatile", "auto",
    "void", "bool", "char", "short", "int", "long", "float", "double", "signed", "unsigned",
    "static_assert", "friend", "virtual", "explicit", "thread_local", "mutable", "typename",
    "decltype", "concept", "requires", "export", "module", "import",
}
# After a (qualified) name, these make the statement an expression: `f(`, `x.y`, `x = 1`, `T{}.f()`.
EXPRESSION_FOLLOWERS = {
    "(", "{", ".", "->", "=", "[", "++", "--", "+=", "-=", "*=", "/=", "%=", "|=", "&=", "^=",
    "<<=", ">>=", "<<", ">>",
}
PUNCTUATORS = sorted(
    ["::", "->", "++", "--", "+=", "-=", "*=", "/=", "%=", "|=", "&=", "^=", "<<=", ">>=", "<<",
     ">>", "==", "!=", "<=", ">=", "&&", "||", "..."], key=len, reverse=True)


class SnippetError(Exception):
    pass


def find_snippets(text, path):
    """Yields (first code line number, kind override or None, code lines) per C++ block."""
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        indent, fence, lang = m.group(1), m.group(2), m.group(3).lower()
        start = i + 1
        j = start
        while j < len(lines):
            close = re.match(r"^ {0,3}(`{3,}|~{3,})\s*$", lines[j])
            if close and close.group(1)[0] == fence[0] and len(close.group(1)) >= len(fence):
                break
            j += 1
        if j == len(lines):
            raise SnippetError(f"{path}:{i + 1}: code block never closed")
        if lang in CPP_LANGUAGES:
            kind = None
            k = i - 1
            while k >= 0 and not lines[k].strip():
                k -= 1
            if k >= 0:
                marker = MARKER.match(lines[k])
                if marker:
                    kind = marker.group(1)
                    if kind not in KINDS:
                        raise SnippetError(f"{path}:{k + 1}: unknown snippet kind {kind!r} "
                                           f"(use one of: {', '.join(sorted(KINDS))})")
            code = [line[len(indent):] if line.startswith(indent) else line.lstrip()
                    for line in lines[start:j]]
            yield start + 1, kind, code
        i = j + 1


def tokens(code):
    """C++ tokens of `code`, without comments, preprocessor lines or the contents of literals."""
    out = []
    i, n = 0, len(code)
    line_start = True
    while i < n:
        c = code[i]
        if c == "\n":
            line_start = True
            i += 1
            continue
        if c in " \t\r":
            i += 1
            continue
        if line_start and c == "#":  # a preprocessor line, with its continuations
            while i < n and code[i] != "\n":
                i += 2 if code.startswith("\\\n", i) else 1
            continue
        line_start = False
        if code.startswith("//", i):
            while i < n and code[i] != "\n":
                i += 1
            continue
        if code.startswith("/*", i):
            end = code.find("*/", i + 2)
            i = n if end < 0 else end + 2
            continue
        raw = re.match(r'(?:u8|u|U|L)?R"([^()\\ ]{0,16})\(', code[i:])
        if raw:
            end = code.find(")" + raw.group(1) + '"', i + raw.end())
            i = n if end < 0 else end + len(raw.group(1)) + 2
            out.append("<literal>")
            continue
        lit = re.match(r'(?:u8|u|U|L)?(["\'])', code[i:])
        if lit:
            quote = lit.group(1)
            i += lit.end()
            while i < n and code[i] != quote and code[i] != "\n":
                i += 2 if code[i] == "\\" else 1
            i += 1
            out.append("<literal>")
            continue
        word = re.match(r"[A-Za-z_][A-Za-z_0-9]*", code[i:])
        if word:
            out.append(word.group(0))
            i += word.end()
            continue
        number = re.match(r"[0-9][0-9A-Za-z_.']*", code[i:])
        if number:
            out.append("<number>")
            i += number.end()
            continue
        for p in PUNCTUATORS:
            if code.startswith(p, i):
                out.append(p)
                i += len(p)
                break
        else:
            out.append(c)
            i += 1
    return out


def is_identifier(t):
    return re.fullmatch(r"[A-Za-z_][A-Za-z_0-9]*", t) is not None


def starts_expression(toks, i):
    """Whether the top-level statement starting at toks[i] is an expression statement."""
    t = toks[i]
    if t in ("(", "*", "++", "--", "::"):
        return True
    if not is_identifier(t) or t in DECLARATION_KEYWORDS:
        return False
    i += 1  # a qualified name, maybe with template arguments: a::b<c>::d
    while i < len(toks):
        if toks[i] == "::" and i + 1 < len(toks) and is_identifier(toks[i + 1]):
            i += 2
        elif toks[i] == "<":
            depth = 0
            while i < len(toks):
                depth += {"<": 1, ">": -1, ">>": -2}.get(toks[i], 0)
                i += 1
                if depth <= 0:
                    break
        else:
            break
    return i < len(toks) and toks[i] in EXPRESSION_FOLLOWERS


def classify(code):
    """'statements' when some top-level statement can only live in a function body, else 'file'."""
    toks = tokens(code)
    depth = 0
    at_start = True
    for i, t in enumerate(toks):
        if depth == 0 and at_start:
            if t in STATEMENT_KEYWORDS or starts_expression(toks, i):
                return "statements"
            at_start = False
        if t in "([{" and len(t) == 1:
            depth += 1
        elif t in ")]}" and len(t) == 1:
            depth -= 1
            if depth == 0 and t == "}":
                at_start = True
        elif t == ";" and depth == 0:
            at_start = True
    return "file"


def is_coroutine(code):
    return any(t in ("co_await", "co_return", "co_yield") for t in tokens(code))


def snippets(readme):
    with open(readme, encoding="utf-8") as f:
        text = f.read()
    out = []
    for line, kind, code in find_snippets(text, readme):
        body = "\n".join(code)
        out.append((line, kind or classify(body), code))
    if not out:
        raise SnippetError(f"{readme}: no C++ code block found")
    return out


def generate(readme, output):
    found = snippets(readme)
    readme_name = os.path.normpath(readme).replace("\\", "/")
    includes, seen = [], set()
    for _, _, code in found:
        for line in code:
            if re.match(r"^\s*#\s*include\b", line) and line.strip() not in seen:
                seen.add(line.strip())
                includes.append(line.strip())

    out = [f"// Generated at build time by tests/readme/extract.py from {readme_name}: do not edit.",
           "// Every C++ block of the README, each in its own namespace (see extract.py)."]
    out += includes
    out.append('#include "prelude.hpp"')

    def here():  # the line number of the next line of `out`, for #line
        return len(out) + 2

    for number, (line, kind, code) in enumerate(found, 1):
        body = [("" if re.match(r"^\s*#\s*include\b", c) else c) for c in code]
        out.append(f"namespace readme_snippet_{number} {{ // {readme_name}:{line}, {kind}")
        if kind == "statements":
            result = "readme_prelude::coroutine" if is_coroutine("\n".join(code)) else "void"
            out.append(f"[[maybe_unused]] {result} snippet() {{")
        out.append(f'#line {line} "{readme_name}"')
        out += body
        out.append(f'#line {here()} "{output_name(output)}"')
        if kind == "statements":
            out.append("}")
        out.append(f"}} // namespace readme_snippet_{number}")
    with open(output, "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")


def output_name(output):
    return output.replace("\\", "/").rsplit("/", 1)[-1]


def main(argv):
    try:
        if len(argv) == 3 and argv[1] == "--list":
            for line, kind, _ in snippets(argv[2]):
                print(f"{argv[2]}:{line}: {kind}")
        elif len(argv) == 3:
            generate(argv[1], argv[2])
        else:
            print(__doc__.strip().split("\n\n")[1], file=sys.stderr)
            return 2
    except SnippetError as e:
        print(f"extract.py: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
