"""The rule language: a small declarative expression language with an SQL meaning.

``parse`` turns text into an AST (``ast``), ``to_source`` prints it back, ``compile_expr``
turns it into a Python function that evaluates it with SQL's three-valued logic.
"""

from socialcredit.core.rules.evaluate import compile_expr
from socialcredit.core.rules.parser import parse
from socialcredit.core.rules.printer import to_source

__all__ = ["compile_expr", "parse", "to_source"]
