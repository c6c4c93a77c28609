class WorkdaysError(Exception):
    """A refused calendar operation or query, with a stable code, a translatable message
    and the HTTP status the API answers with."""

    def __init__(self, code: str, message: str, *, status: int = 400):
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
