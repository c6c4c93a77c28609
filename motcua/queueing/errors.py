class QueueError(Exception):
    """A refused queue operation: a stable `code` for programs, a translated `message` for
    people, the HTTP status a door answers with. Nothing was changed when it is raised."""

    def __init__(self, code: str, message: str, *, status: int = 400):
        super().__init__(message)
        self.code = code
        self.message = str(message)
        self.status = status
