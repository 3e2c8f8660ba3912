"""The one exception every refused query option raises."""

ERROR_CODE = "BadRequest"  # what Graph's OData layer answers for an unusable query option


class ODataQueryError(Exception):
    """A query option Liaison cannot honour: Graph answers 400 {"error": {code, message}}."""

    status_code = 400

    def __init__(self, message: str, *, code: str = ERROR_CODE):
        super().__init__(message)
        self.code = code
        self.message = message

    def as_error(self) -> dict:
        """The inner part of Graph's error envelope; the view adds innerError."""
        return {"code": self.code, "message": self.message}
