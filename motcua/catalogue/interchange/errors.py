from motcua.interchange import FileFormatError

__all__ = ["FileFormatError"]
