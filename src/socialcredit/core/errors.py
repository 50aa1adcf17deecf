"""The error tree of the core. Every error says where and what."""

from __future__ import annotations


class SocialCreditError(Exception):
    """Base of every error the project raises on purpose."""


class InvalidIdentifier(SocialCreditError):
    """An identity number that is not a valid USCC or resident ID number."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(f"{code!r}: {reason}")
        self.code = code
        self.reason = reason


class RuleSyntaxError(SocialCreditError):
    """An expression of the rule language that does not parse."""

    def __init__(self, source: str, position: int, message: str) -> None:
        pointer = f"{source}\n{' ' * position}^"
        super().__init__(f"{message} at column {position + 1}:\n{pointer}")
        self.source = source
        self.position = position
        self.message = message


class RuleEvaluationError(SocialCreditError):
    """An expression that parses but cannot be evaluated (unknown name, wrong type)."""


class PackError(SocialCreditError):
    """A malformed rule pack; names the file, the line and the key at fault."""

    def __init__(self, file: str, line: int | None, key: str, message: str) -> None:
        where = f"{file}:{line}" if line else file
        super().__init__(f"{where}: {key}: {message}" if key else f"{where}: {message}")
        self.file = file
        self.line = line
        self.key = key
        self.message = message


class UnknownAction(SocialCreditError):
    """An action that no loaded pack and no shared vocabulary defines."""

    def __init__(self, action: str, known: list[str]) -> None:
        close = [a for a in known if action.split("_")[0] in a][:5]
        hint = f"; did you mean one of {', '.join(close)}?" if close else ""
        super().__init__(f"unknown action {action!r}{hint}")
        self.action = action


class ScenarioError(SocialCreditError):
    """A scenario file that cannot be read or run."""
