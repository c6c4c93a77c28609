"""GET /api/v1/me: who the caller is authenticated as (proves the API authentication)."""

from django.http import HttpRequest
from ninja import Router, Schema

from motcua.organisations.models import Membership

from .auth import STAFF_AUTH
from .schemas.responses import answers

router = Router(tags=["authentication"], auth=STAFF_AUTH)


class MembershipOut(Schema):
    agency: str
    role: str
    department: str | None


class MeOut(Schema):
    username: str
    memberships: list[MembershipOut]


@router.get("", response=answers(MeOut, (401,)), summary="The authenticated user")
def me(request: HttpRequest) -> dict:
    """The user behind the token or session, with their active memberships (agency code,
    role, department code)."""
    user = request.auth
    memberships = (
        Membership.objects.active()
        .filter(user=user)
        .select_related("agency", "department")
        .order_by("agency__code", "role", "id")
    )
    return {
        "username": user.get_username(),
        "memberships": [
            {
                "agency": m.agency.code,
                "role": m.role,
                "department": m.department.code if m.department else None,
            }
            for m in memberships
        ],
    }
