# SPDX-License-Identifier: Apache-2.0
"""Zephyr's `filter:` language of testcase.yaml: a tokenizer, a recursive-descent parser and an
evaluator. No parser generator: the grammar is small enough to read as code.

    expr     := and_expr ("or" and_expr)*
    and_expr := not_expr ("and" not_expr)*
    not_expr := "not" not_expr | atom
    atom     := "(" expr ")"
              | FUNCTION "(" STRING ")"                 (dt_compat_enabled, ...)
              | SYMBOL ("==" | "!=") (STRING | NUMBER)
              | SYMBOL ("<" | "<=" | ">" | ">=") NUMBER
              | SYMBOL "in" ("[" const ("," const)* "]" | STRING)
              | SYMBOL ":" STRING                     (regex, matched at the start)
              | SYMBOL                                (defined, not empty, not "n")

A symbol's value is a string, or absent; an absent symbol reads as "" (and as 0 when compared
with <, <=, >, >=), as in Zephyr. Numbers are decimal or 0x hex, optionally negative; compared
with a number, a value is read as a number. The devicetree functions ask a `dt` object.
"""

import re

KEYWORDS = ("and", "or", "not", "in")
ORDERING = ("<", "<=", ">", ">=")
# Devicetree questions, each taking one string: the method of the `dt` object that answers.
FUNCTIONS = {
    "dt_compat_enabled": "compat_enabled",
    "dt_nodelabel_enabled": "nodelabel_enabled",
    "dt_chosen_enabled": "chosen_enabled",
    "dt_alias_exists": "alias_exists",
}

TOKEN_RE = re.compile(r"""
    (?P<space>\s+)
  | (?P<num>-?0[xX][0-9a-fA-F]+|-?\d+)
  | (?P<sym>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<str>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')
  | (?P<op>==|!=|<=|>=|<|>|:|\(|\)|\[|\]|,)
""", re.VERBOSE)


class ExprError(Exception):
    """A syntax or evaluation error, reading `what at column N` (1-based); `expected` says
    what the parser wanted instead, if it knows."""

    def __init__(self, message, column, expected=None):
        super().__init__(f"{message} at column {column}")
        self.column = column
        self.expected = expected


class Token:
    def __init__(self, kind, text, column):
        self.kind = kind        # num, sym, str, op, kw or end
        self.text = text
        self.column = column

    def value(self):
        """A string literal without its quotes (backslashes kept, as Zephyr does, so that
        regexes read as written), or a number as an int."""
        if self.kind == "str":
            return self.text[1:-1]
        return int(self.text, 16 if "x" in self.text.lower() else 10)


def tokenize(text):
    """The tokens of `text`, ending with an `end` token; raises ExprError on a stray
    character or an unterminated string."""
    tokens = []
    pos = 0
    while pos < len(text):
        m = TOKEN_RE.match(text, pos)
        if m is None:
            if text[pos] in "\"'":
                raise ExprError("unterminated string", pos + 1)
            raise ExprError(f"unexpected character '{text[pos]}'", pos + 1)
        kind = m.lastgroup
        if kind == "sym" and m.group() in KEYWORDS:
            kind = "kw"
        if kind != "space":
            tokens.append(Token(kind, m.group(), pos + 1))
        pos = m.end()
    tokens.append(Token("end", "", len(text) + 1))
    return tokens


def as_number(value):
    """A symbol's value as an int (decimal or 0x hex), or None if it is not one."""
    try:
        return int(value, 16 if value.lower().lstrip("-").startswith("0x") else 10)
    except ValueError:
        return None


def _either(a, b):
    return lambda env, dt: a(env, dt) or b(env, dt)


def _both(a, b):
    return lambda env, dt: a(env, dt) and b(env, dt)


def _equal(value, const):
    if isinstance(const, int):
        number = as_number(value)
        return number == const if number is not None else value == str(const)
    return value == const


class Expr:
    """A parsed filter. `symbols` and `functions` are the names it uses, in order."""

    def __init__(self, text, node, symbols, functions):
        self.text = text
        self._node = node
        self.symbols = symbols
        self.functions = functions

    def evaluate(self, env, dt=None):
        """True or False for `env` (name -> string) and the devicetree `dt`; raises ExprError
        if a value compared as a number is not one, or a function needs a missing `dt`."""
        return self._node(env, dt)


class _Parser:
    def __init__(self, text, symbol_ok):
        self.tokens = tokenize(text)
        self.pos = 0
        self.symbol_ok = symbol_ok
        self.symbols = []
        self.functions = []

    def peek(self):
        return self.tokens[self.pos]

    def next(self):
        tok = self.tokens[self.pos]
        self.pos += 1
        return tok

    def fail(self, tok, expected=None):
        what = "unexpected end of filter" if tok.kind == "end" else \
            f"unexpected token '{tok.text}'"
        raise ExprError(what, tok.column, expected)

    def expect(self, kind, text=None, expected=None):
        tok = self.next()
        if tok.kind != kind or (text is not None and tok.text != text):
            self.fail(tok, expected or f"'{text}'")
        return tok

    def accept(self, kind, text):
        tok = self.peek()
        if tok.kind == kind and tok.text == text:
            self.pos += 1
            return True
        return False

    def parse(self):
        node = self.or_expr()
        self.expect("end", expected="'and', 'or' or the end")
        return node

    def or_expr(self):
        node = self.and_expr()
        while self.accept("kw", "or"):
            node = _either(node, self.and_expr())
        return node

    def and_expr(self):
        node = self.not_expr()
        while self.accept("kw", "and"):
            node = _both(node, self.not_expr())
        return node

    def not_expr(self):
        if self.accept("kw", "not"):
            inner = self.not_expr()
            return lambda env, dt: not inner(env, dt)
        return self.atom()

    def atom(self):
        tok = self.next()
        if tok.kind == "op" and tok.text == "(":
            node = self.or_expr()
            self.expect("op", ")")
            return node
        if tok.kind != "sym":
            self.fail(tok, "a symbol, a function, 'not' or '('")
        if self.peek().text == "(" and self.peek().kind == "op":
            return self.call(tok)
        return self.condition(tok)

    def call(self, name_tok):
        name = name_tok.text
        if name not in FUNCTIONS:
            raise ExprError(f"unknown function '{name}'", name_tok.column,
                            f"one of {', '.join(FUNCTIONS)}")
        self.functions.append(name)
        self.expect("op", "(")
        arg = self.expect("str", expected="a string").value()
        if self.peek().text == ",":
            raise ExprError(f"{name}() takes one string", self.peek().column)
        self.expect("op", ")")
        method = FUNCTIONS[name]

        def node(env, dt):
            if dt is None:
                raise ExprError(f"{name}() needs the devicetree of a configured build",
                                name_tok.column)
            return bool(getattr(dt, method)(arg))
        return node

    def const(self, numbers_only=False):
        tok = self.next()
        if tok.kind == "num" or (tok.kind == "str" and not numbers_only):
            return tok.value()
        self.fail(tok, "a number" if numbers_only else "a string or a number")

    def condition(self, sym):
        name = sym.text
        if self.symbol_ok and not self.symbol_ok(name):
            raise ExprError(f"unknown symbol '{name}'", sym.column)
        self.symbols.append(name)
        tok = self.peek()

        def value(env):
            v = env.get(name)
            return "" if v is None else str(v)

        if tok.kind == "op" and tok.text in ("==", "!="):
            self.next()
            const = self.const()
            if tok.text == "==":
                return lambda env, dt: _equal(value(env), const)
            return lambda env, dt: not _equal(value(env), const)
        if tok.kind == "op" and tok.text in ORDERING:
            self.next()
            const = self.const(numbers_only=True)
            compare = {"<": int.__lt__, "<=": int.__le__, ">": int.__gt__,
                       ">=": int.__ge__}[tok.text]

            def ordered(env, dt):
                v = value(env)
                number = as_number(v) if v else 0
                if number is None:
                    raise ExprError(f"{name} is '{v}', not a number", sym.column)
                return compare(number, const)
            return ordered
        if tok.kind == "kw" and tok.text == "in":
            self.next()
            choices = self.choices()
            return lambda env, dt: any(_equal(value(env), c) for c in choices)
        if tok.kind == "op" and tok.text == ":":
            self.next()
            rx_tok = self.expect("str", expected="a regex string")
            try:
                rx = re.compile(rx_tok.value())
            except re.error as e:
                raise ExprError(f"bad regex {rx_tok.text}: {e}", rx_tok.column) from None
            return lambda env, dt: rx.match(value(env)) is not None
        return lambda env, dt: value(env) not in ("", "n")

    def choices(self):
        """`[a, b, ...]` as a list of constants; a string "a b" as its words."""
        tok = self.peek()
        if tok.kind == "str":
            self.next()
            return tok.value().split()
        self.expect("op", "[", expected="'[' or a string")
        items = [self.const()]
        while self.accept("op", ","):
            items.append(self.const())
        self.expect("op", "]", expected="',' or ']'")
        return items


def parse(text, symbol_ok=None):
    """Parses a filter. `symbol_ok(name)` says whether a symbol may be used at all (None: any).
    Raises ExprError for a syntax error, an unknown symbol or function, or a bad regex."""
    p = _Parser(text, symbol_ok)
    node = p.parse()
    return Expr(text, node, p.symbols, p.functions)
