class FileFormatError(Exception):
    """A file that cannot be read at all (missing, wrong format, no records)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
