class SigningFailed(Exception):
    """A signature could not be made or finished; `code` is stable, the message is for people."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message
