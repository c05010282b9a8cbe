from ninja import Schema


class ErrorOut(Schema):
    """Every error body: `detail` is a message, or for 422 a list naming each offending field."""

    detail: str | list[dict[str, object]]


def errors(*codes: int) -> dict[int, type[ErrorOut]]:
    """Document error responses; 401 and 422 apply to every authenticated JSON endpoint."""
    return dict.fromkeys((401, 422, *codes), ErrorOut)
