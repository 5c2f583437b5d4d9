"""Make the `bazaar` package importable from the checkout, without installing it."""

from __future__ import annotations

import sys
from pathlib import Path

_SERVICE = str(Path(__file__).resolve().parents[1])
if _SERVICE not in sys.path:
    sys.path.insert(0, _SERVICE)
