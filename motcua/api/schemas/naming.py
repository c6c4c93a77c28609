"""Names of the OpenAPI document's components.

ninja names a component after its class and merges every schema's definitions by that name,
so two classes of the same name overwrite each other in /api/v1/openapi.json (the catalogue's
Level lost `other_agency` to the reports' Level). Schema classes get distinct names; a domain
enum whose name is taken is documented under another one with `renamed`.
"""

from django.db import models


def renamed(choices: type[models.Choices], name: str) -> type[models.Choices]:
    """`choices`' values and labels under the class name `name`."""
    base = models.IntegerChoices if issubclass(choices, int) else models.TextChoices
    copy = base(name, [(member.name, (member.value, member.label)) for member in choices])
    copy.__doc__ = choices.__doc__
    copy.__module__ = __name__
    return copy
