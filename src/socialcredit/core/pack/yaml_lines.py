"""YAML reading that remembers where each key stands, so errors can name the line."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import yaml

from socialcredit.core.errors import PackError

Path = tuple[str | int, ...]

# Aliases may repeat a block (packs do, for shared conditions), but a document whose aliases
# expand to more nodes than this is refused before anything walks it: a "billion laughs"
# of a few hundred bytes would otherwise expand to gigabytes.
MAX_EXPANDED_NODES = 100_000


class AliasExpansionError(ValueError):
    """A YAML document whose aliases expand beyond the bound, or refer to themselves."""


def compose_bounded(text: str, limit: int = MAX_EXPANDED_NODES) -> yaml.Node | None:
    """Compose ``text`` and check that its aliases expand to at most ``limit`` nodes.

    Composing shares an aliased node rather than copying it, so this is linear in the text;
    the expanded size is then counted once per distinct node."""
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    if node is not None:
        expanded_size(node, limit)
    return node


def expanded_size(root: yaml.Node, limit: int) -> int:
    """Nodes in ``root`` with every alias expanded; raises past ``limit`` or on a cycle."""
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if children_done:
            open_nodes.discard(key)
            total = 1 + sum(sizes[id(c)] for c in _children(node))
            if total > limit:
                raise AliasExpansionError(
                    f"its aliases expand to more than {limit:,} nodes (line "
                    f"{node.start_mark.line + 1}); write the repeated blocks out or use fewer"
                    " nested aliases"
                )
            sizes[key] = total
        elif key in open_nodes:
            raise AliasExpansionError(
                f"an alias refers to a node that contains it (line {node.start_mark.line + 1})"
            )
        elif key not in sizes:
            open_nodes.add(key)
            stack.append((node, True))
            stack.extend((c, False) for c in _children(node))
    return sizes[id(root)]


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def safe_load_bounded(text: str) -> Any:
    """``yaml.safe_load`` that first refuses an alias bomb (AliasExpansionError)."""
    compose_bounded(text)
    return yaml.safe_load(text)


class Located:
    """A YAML document and the line of every key path in it."""

    def __init__(self, file: str, text: str) -> None:
        self.file = file
        self.lines: dict[Path, int] = {}
        try:
            node = compose_bounded(text)
            self.data: Any = yaml.safe_load(text)
        except AliasExpansionError as error:
            raise PackError(file, None, "", f"refused: {error}") from None
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            line = mark.line + 1 if mark is not None else None
            problem = getattr(error, "problem", None) or str(error)
            raise PackError(file, line, "", f"not valid YAML: {problem}") from None
        if node is not None:
            self._index(node, ())

    def _index(self, node: yaml.Node, path: Path) -> None:
        self.lines[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            seen: set[str] = set()
            for key_node, value_node in node.value:
                key = str(key_node.value)
                if key in seen:
                    line = key_node.start_mark.line + 1
                    raise PackError(self.file, line, _dotted((*path, key)), "duplicate key")
                seen.add(key)
                self.lines[(*path, key)] = key_node.start_mark.line + 1
                self._index(value_node, (*path, key))
                self.lines[(*path, key)] = key_node.start_mark.line + 1
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                self._index(item, (*path, index))

    def line_of(self, path: Sequence[str | int]) -> int | None:
        """The line of the longest prefix of ``path`` that the document has."""
        steps: Path = tuple(str(p) if not isinstance(p, int) else p for p in path)
        while steps and steps not in self.lines:
            steps = steps[:-1]
        return self.lines.get(steps)

    def error(self, path: Sequence[str | int], message: str) -> PackError:
        return PackError(self.file, self.line_of(path), _dotted(path), message)


def _dotted(path: Sequence[str | int]) -> str:
    text = ""
    for step in path:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else str(step))
    return text
