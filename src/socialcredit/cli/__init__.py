"""The command-line interface ``socialcredit`` (Typer and Rich)."""
