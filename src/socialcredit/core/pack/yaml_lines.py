"""YAML reading that remembers where each key stands, so errors can name the line."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import yaml

from socialcredit.core.errors import PackError

Path = tuple[str | int, ...]


class Located:
    """A YAML document and the line of every key path in it."""

    def __init__(self, file: str, text: str) -> None:
        self.file = file
        self.lines: dict[Path, int] = {}
        try:
            node = yaml.compose(text, Loader=yaml.SafeLoader)
            self.data: Any = yaml.safe_load(text)
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
