class SigningFailed(Exception):
    """A signature could not be made or finished; `code` is stable, the message is for people,
    `status` the HTTP status a door answers with."""

    def __init__(self, code: str, message: str, status: int = 400):
        super().__init__(message)
        self.code = code
        self.message = str(message)
        self.status = status
