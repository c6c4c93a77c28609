class CatalogueError(Exception):
    """A refused catalogue operation, with a stable code and a translatable message."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message
