"""Where each YAML node is: the 1-based line of every value and key, for `file:line`
messages, and the mapping keys given twice."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

from quizzes.errors import Problem

# The keys and indexes from the root to a node; a key's own line is under (*path, key, "@key").
NodePath = tuple[Any, ...]


def line_map(root: yaml.Node, out: dict[NodePath, int], dupes: list[tuple[Any, int]]) -> None:
    """Record the 1-based line of every value, and duplicate mapping keys.

    Each node is visited once: an alias is the node it names, so a recursive alias (a list
    that contains itself) or aliases of aliases would otherwise loop or blow up.
    """
    stack: list[tuple[yaml.Node, NodePath]] = [(root, ())]
    visited: set[int] = set()
    while stack:
        node, path = stack.pop()
        if id(node) in visited:
            continue
        visited.add(id(node))
        out[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            seen: set[Any] = set()
            for key_node, value_node in node.value:
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else id(key_node)
                if key in seen:
                    dupes.append((key, key_node.start_mark.line + 1))
                seen.add(key)
                out[(*path, key, "@key")] = key_node.start_mark.line + 1
                stack.append((value_node, (*path, key)))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, (*path, index)) for index, item in enumerate(node.value))


@dataclass(frozen=True)
class Document:
    """A bank file's YAML: its data, the line of each node, and the keys given twice."""

    data: Any
    lines: dict[NodePath, int]
    dupes: list[tuple[Any, int]]


def read_yaml(text: str, file: str) -> Document | Problem:
    """The file's YAML with its line map, or the one problem that stops it being read."""
    try:
        data = yaml.safe_load(text)
        node = yaml.compose(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line = mark.line + 1 if mark else 1
        reason = getattr(error, "problem", None) or str(error)
        if isinstance(error, yaml.reader.ReaderError):
            line = text.count("\n", 0, error.position) + 1
            reason = f"character #x{error.character:04x} is not allowed in YAML ({error.reason})"
        return Problem(file, line, f"YAML syntax error: {reason}")
    except RecursionError:
        # PyYAML composes nested collections recursively; no bank is nested this deep.
        return Problem(file, 1, "YAML nested too deeply: a bank is a few levels deep")
    lines: dict[NodePath, int] = {}
    dupes: list[tuple[Any, int]] = []
    if node is not None:
        line_map(node, lines, dupes)
    return Document(data, lines, dupes)
