"""The Rust extension: see the ``novawireless`` package."""

from typing import Any, List, Optional, Sequence, Tuple

__version__: str

class ArrowStream:
    """A table, read once through the Arrow C stream interface."""

    def __arrow_c_stream__(self, requested_schema: Optional[object] = None) -> object: ...

_Failed = Optional[Tuple[int, str]]

def run(name: str, argv: Sequence[Any]) -> _Failed: ...
def main(name: str, argv: Sequence[Any]) -> int: ...
def generate(
    argv: Sequence[Any], tables: Optional[Sequence[str]] = None
) -> Tuple[List[Tuple[str, ArrowStream]], _Failed]: ...
def schemas(argv: Sequence[Any]) -> Tuple[List[Tuple[str, ArrowStream]], _Failed]: ...
