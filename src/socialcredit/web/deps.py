"""The portal's dependency on the services' context, as the application factory set it."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from socialcredit.services.context import Context


def state(request: Request) -> Context:
    found: Context = request.app.state.socialcredit
    return found


StateDep = Annotated[Context, Depends(state)]
