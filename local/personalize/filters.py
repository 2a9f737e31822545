"""Personalize filter expressions: parser, validation and vectorised evaluation.

Grammar (keywords case-insensitive, field names as in the schema)::

    filter     := expression ("|" expression)*
    expression := (INCLUDE | EXCLUDE) ItemID WHERE or_cond
    or_cond    := and_cond (OR and_cond)*
    and_cond   := atom (AND atom)*
    atom       := "(" or_cond ")" | ref op operand
    ref        := Items.FIELD | Interactions.EVENT_TYPE | Users.FIELD | CurrentUser.FIELD
    op         := IN | NOT IN | = | != | < | > | <= | >=
    operand    := "(" value ("," value)* ")" (IN / NOT IN) | value
    value      := "quoted string" | number | $PLACEHOLDER
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field

import numpy as np

from .exceptions import InvalidInputException

_TOKEN = re.compile(
    r"""\s*(?:
      (?P<str>"[^"]*")
    | (?P<ph>\$[A-Za-z_][A-Za-z0-9_]*)
    | (?P<num>-?\d+(?:\.\d+)?)
    | (?P<op><=|>=|!=|=|<|>)
    | (?P<punct>[(),|])
    | (?P<word>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?)
    )""",
    re.VERBOSE,
)
RANGE_OPS = {"<", ">", "<=", ">="}
DATASETS = {"items": "Items", "interactions": "Interactions", "users": "Users"}


@dataclass
class Condition:
    dataset: str  # Items | Interactions | Users
    field: str
    op: str  # IN, NOT IN, =, !=, <, >, <=, >=
    values: list  # ("lit", value) or ("ph", NAME)


@dataclass
class BoolOp:
    op: str  # AND | OR
    parts: list


@dataclass
class Expression:
    action: str  # INCLUDE | EXCLUDE
    condition: object


@dataclass
class Filter:
    expressions: list[Expression]
    placeholders: list[str] = field(default_factory=list)
    uses_interactions: bool = False


def _tokens(text: str) -> list[tuple[str, str]]:
    out, pos = [], 0
    text = text.rstrip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            raise InvalidInputException(
                f"Invalid filter expression: unexpected character {text[pos:].strip()[:1]!r} "
                f"at position {pos}."
            )
        kind = match.lastgroup
        out.append((kind, match.group(kind)))
        pos = match.end()
    return out


class _Parser:
    def __init__(self, text: str):
        self.toks = _tokens(text)
        self.i = 0
        self.placeholders: list[str] = []
        self.uses_interactions = False

    def peek(self, ahead: int = 0):
        j = self.i + ahead
        return self.toks[j] if j < len(self.toks) else ("end", "")

    def take(self):
        tok = self.peek()
        self.i += 1
        return tok

    def word(self, *expected: str) -> str:
        kind, value = self.take()
        if kind != "word" or value.upper() not in expected:
            got = value or "end of expression"
            raise InvalidInputException(
                f"Invalid filter expression: expected {' or '.join(expected)}, found {got!r}."
            )
        return value.upper()

    def parse(self) -> Filter:
        if not self.toks:
            raise InvalidInputException("Invalid filter expression: the expression is empty.")
        expressions = [self.expression()]
        while self.peek() == ("punct", "|"):
            self.take()
            expressions.append(self.expression())
        if self.peek()[0] != "end":
            raise InvalidInputException(
                f"Invalid filter expression: unexpected {self.peek()[1]!r} after the condition."
            )
        return Filter(expressions, self.placeholders, self.uses_interactions)

    def expression(self) -> Expression:
        action = self.word("INCLUDE", "EXCLUDE")
        kind, value = self.take()
        if kind != "word" or value.upper() != "ITEMID":
            raise InvalidInputException(
                f"Invalid filter expression: expected ItemID after {action}, found {value!r}."
            )
        self.word("WHERE")
        return Expression(action, self.or_cond())

    def or_cond(self):
        parts = [self.and_cond()]
        while self.peek()[0] == "word" and self.peek()[1].upper() == "OR":
            self.take()
            parts.append(self.and_cond())
        return parts[0] if len(parts) == 1 else BoolOp("OR", parts)

    def and_cond(self):
        parts = [self.atom()]
        while self.peek()[0] == "word" and self.peek()[1].upper() == "AND":
            self.take()
            parts.append(self.atom())
        return parts[0] if len(parts) == 1 else BoolOp("AND", parts)

    def atom(self):
        if self.peek() == ("punct", "("):
            self.take()
            inner = self.or_cond()
            if self.take() != ("punct", ")"):
                raise InvalidInputException("Invalid filter expression: missing ')'.")
            return inner
        kind, ref = self.take()
        if kind != "word" or "." not in ref:
            raise InvalidInputException(
                "Invalid filter expression: expected a dataset field such as Items.GENRE, "
                f"found {ref or 'end of expression'!r}."
            )
        prefix, name = ref.split(".", 1)
        dataset = DATASETS.get(prefix.lower()) or (
            "Users" if prefix.lower() == "currentuser" else None
        )
        if dataset is None:
            raise InvalidInputException(
                f"Invalid filter expression: unknown dataset {prefix!r} in {ref!r}; "
                "use Items, Interactions, Users or CurrentUser."
            )
        if dataset == "Interactions":
            if name.upper() != "EVENT_TYPE":
                raise InvalidInputException(
                    "Invalid filter expression: only Interactions.EVENT_TYPE can be filtered on."
                )
            self.uses_interactions = True
        op = self.operator()
        if dataset == "Interactions" and op not in ("IN", "NOT IN", "=", "!="):
            raise InvalidInputException(
                f"Invalid filter expression: operator {op} is not allowed on EVENT_TYPE."
            )
        values = self.operand(op)
        return Condition(dataset, name, op, values)

    def operator(self) -> str:
        kind, value = self.take()
        if kind == "op":
            return value
        if kind == "word" and value.upper() == "IN":
            return "IN"
        if kind == "word" and value.upper() == "NOT":
            self.word("IN")
            return "NOT IN"
        raise InvalidInputException(
            f"Invalid filter expression: expected an operator (IN, NOT IN, =, <, >, <=, >=), "
            f"found {value or 'end of expression'!r}."
        )

    def value(self):
        kind, value = self.take()
        if kind == "str":
            return ("lit", value[1:-1])
        if kind == "num":
            return ("lit", float(value))
        if kind == "ph":
            name = value[1:]
            if name not in self.placeholders:
                self.placeholders.append(name)
            return ("ph", name)
        raise InvalidInputException(
            "Invalid filter expression: expected a quoted value, a number or a $PLACEHOLDER, "
            f"found {value or 'end of expression'!r}."
        )

    def operand(self, op: str) -> list:
        if op in ("IN", "NOT IN"):
            if self.take() != ("punct", "("):
                raise InvalidInputException(
                    f"Invalid filter expression: {op} must be followed by a parenthesised list."
                )
            values = [self.value()]
            while self.peek() == ("punct", ","):
                self.take()
                values.append(self.value())
            if self.take() != ("punct", ")"):
                raise InvalidInputException("Invalid filter expression: missing ')' after values.")
            return values
        value = self.value()
        if op in RANGE_OPS and value[0] == "lit" and not isinstance(value[1], float):
            raise InvalidInputException(
                f"Invalid filter expression: operator {op} needs a number, not {value[1]!r}."
            )
        return [value]


def parse_filter(text: str, schemas: dict[str, set[str]]) -> Filter:
    """Parse and check field names against the dataset group's schemas (type -> field names)."""
    parsed = _Parser(text).parse()
    for cond in _conditions(parsed):
        if cond.dataset == "Interactions":
            if "Interactions" not in schemas:
                raise InvalidInputException(
                    "Invalid filter expression: the dataset group has no Interactions dataset."
                )
            continue
        fields = schemas.get(cond.dataset)
        if fields is None:
            raise InvalidInputException(
                f"Invalid filter expression: the dataset group has no {cond.dataset} dataset."
            )
        if cond.field.upper() not in {f.upper() for f in fields}:
            raise InvalidInputException(
                f"Invalid filter expression: {cond.dataset}.{cond.field} is not a field of the "
                f"{cond.dataset} schema."
            )
    return parsed


def _conditions(node):
    if isinstance(node, Filter):
        for expr in node.expressions:
            yield from _conditions(expr.condition)
    elif isinstance(node, BoolOp):
        for part in node.parts:
            yield from _conditions(part)
    else:
        yield node


def parse_filter_values(raw: dict[str, str], needed: list[str]) -> dict[str, list]:
    """Turn {"EMOTION": '"HAPPY","SAD"'} into {"EMOTION": ["HAPPY", "SAD"]}."""
    out = {}
    for name in needed:
        if name not in raw:
            raise InvalidInputException(
                f"filterValues has no value for the filter placeholder ${name}."
            )
        values = []
        for part in _split_values(raw[name]):
            part = part.strip()
            if len(part) >= 2 and part[0] == part[-1] == '"':
                values.append(part[1:-1])
            else:
                try:
                    values.append(float(part))
                except ValueError:
                    raise InvalidInputException(
                        f"filterValues[{name}]: {part!r} must be a quoted string like "
                        '"\\"VALUE\\"" or a number.'
                    ) from None
        if not values:
            raise InvalidInputException(f"filterValues[{name}] is empty.")
        out[name] = values
    return out


def _split_values(text: str) -> list[str]:
    parts, current, quoted = [], [], False
    for char in text:
        if char == '"':
            quoted = not quoted
        if char == "," and not quoted:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return [p for p in parts if p.strip()]


class ItemTable:
    """Per-item metadata in index order, with inverted indexes built on demand."""

    def __init__(self, item_ids: list[str], metadata: dict[str, dict[str, str]]):
        self.n = len(item_ids)
        self.item_ids = item_ids
        self.metadata = metadata
        self._inverted: dict[str, dict[str, np.ndarray]] = {}
        self._numeric: dict[str, np.ndarray] = {}

    def inverted(self, field_name: str) -> dict[str, np.ndarray]:
        key = field_name.upper()
        if key not in self._inverted:
            lists: dict[str, list[int]] = {}
            for index, item in enumerate(self.item_ids):
                value = self.metadata.get(item, {}).get(key)
                if value is None or value == "":
                    continue
                for part in str(value).split("|"):
                    lists.setdefault(part, []).append(index)
            self._inverted[key] = {k: np.asarray(v, dtype=np.int64) for k, v in lists.items()}
        return self._inverted[key]

    def numeric(self, field_name: str) -> np.ndarray:
        key = field_name.upper()
        if key not in self._numeric:
            arr = np.full(self.n, np.nan)
            for index, item in enumerate(self.item_ids):
                value = self.metadata.get(item, {}).get(key)
                with contextlib.suppress(TypeError, ValueError):
                    arr[index] = float(value)
            self._numeric[key] = arr
        return self._numeric[key]


def _compare(left, op: str, values: list) -> bool:
    if op in ("IN", "="):
        return any(_equal(left, v) for v in values)
    if op in ("NOT IN", "!="):
        return left is not None and not any(_equal(left, v) for v in values)
    try:
        a, b = float(left), float(values[0])
    except (TypeError, ValueError):
        return False
    return {"<": a < b, ">": a > b, "<=": a <= b, ">=": a >= b}[op]


def _equal(left, right) -> bool:
    if left is None:
        return False
    if isinstance(right, float):
        try:
            return float(left) == right
        except (TypeError, ValueError):
            return False
    return right in str(left).split("|")


def evaluate(
    flt: Filter,
    values: dict[str, list],
    items: ItemTable,
    user_events: dict[str, set[int]],
    user_meta: dict[str, str],
) -> np.ndarray:
    """Boolean mask over items.item_ids: True where the item may be recommended.

    user_events maps an event type to the item indexes this user interacted with under it.
    """

    def resolve(raw: list) -> list:
        out = []
        for kind, value in raw:
            out.extend(values[value] if kind == "ph" else [value])
        return out

    def cond_mask(node) -> np.ndarray:
        if isinstance(node, BoolOp):
            masks = [cond_mask(p) for p in node.parts]
            combine = np.logical_and if node.op == "AND" else np.logical_or
            return combine.reduce(masks)
        wanted = resolve(node.values)
        if node.dataset == "Users":
            meta = {k.upper(): v for k, v in user_meta.items()}
            hit = _compare(meta.get(node.field.upper()), node.op, wanted)
            return np.full(items.n, hit)
        mask = np.zeros(items.n, dtype=bool)
        if node.dataset == "Interactions":
            for event_type, indexes in user_events.items():
                if any(_equal(event_type, w) for w in wanted):
                    mask[list(indexes)] = True
            return ~mask if node.op in ("NOT IN", "!=") else mask
        if node.op in RANGE_OPS:
            arr = items.numeric(node.field)
            bound = float(wanted[0])
            with np.errstate(invalid="ignore"):
                return {"<": arr < bound, ">": arr > bound, "<=": arr <= bound, ">=": arr >= bound}[
                    node.op
                ]
        index = items.inverted(node.field)
        for w in wanted:
            key = _format_number(w) if isinstance(w, float) else w
            hits = index.get(key)
            if hits is not None:
                mask[hits] = True
        if node.op in ("NOT IN", "!="):
            has_value = np.zeros(items.n, dtype=bool)
            for hits in index.values():
                has_value[hits] = True
            return has_value & ~mask
        return mask

    allowed = np.ones(items.n, dtype=bool)
    for expr in flt.expressions:
        mask = cond_mask(expr.condition)
        allowed &= mask if expr.action == "INCLUDE" else ~mask
    return allowed


def _format_number(value: float) -> str:
    return str(int(value)) if value.is_integer() else str(value)
