class BackupError(Exception):
    """A backup or restore that could not be done: a stable `code` for programs and a
    translated `message` for the operator. A failed backup leaves no folder that looks
    complete; a refused restore has changed nothing."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = str(message)
