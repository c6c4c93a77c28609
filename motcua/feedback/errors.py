class FeedbackError(Exception):
    """A refused rating or feedback operation: a stable `code` for programs, a translated
    `message` for people, the HTTP status a door answers with, and the form field it is
    about (empty: the whole form). Nothing was changed when it is raised."""

    def __init__(self, code: str, message: str, *, status: int = 400, field: str = ""):
        super().__init__(message)
        self.code = code
        self.message = str(message)
        self.status = status
        self.field = field
