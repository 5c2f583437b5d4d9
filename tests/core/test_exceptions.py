"""Tests for errkit's own error tree (``errkit.core._exceptions``)."""

from __future__ import annotations

import pickle

import pytest

import errkit
from errkit.core import _exceptions

OWN_ERRORS = [getattr(_exceptions, name) for name in _exceptions.__all__]


class TestTree:
    @pytest.mark.parametrize("cls", OWN_ERRORS, ids=lambda c: c.__name__)
    def test_rooted_documented_and_drawn(self, cls: type[Exception]) -> None:
        """Every own error derives from ErrkitError, has a docstring, and appears
        in the module docstring's tree."""
        assert issubclass(cls, errkit.ErrkitError)
        assert cls.__doc__
        assert cls.__name__ in (_exceptions.__doc__ or "")

    def test_registry_errors(self) -> None:
        """Range and code errors are RegistryErrors; config errors are not."""
        for cls in (
            errkit.RangeOverlapError,
            errkit.DuplicateModuleError,
            errkit.UnknownModuleError,
            errkit.CodeOutOfRangeError,
            errkit.DuplicateCodeError,
            errkit.InvalidRangeError,
        ):
            assert issubclass(cls, errkit.RegistryError)
        assert not issubclass(errkit.ConfigError, errkit.RegistryError)
        assert issubclass(errkit.ConfigError, ValueError)

    @pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
    def test_config_error_pickles(self, protocol: int) -> None:
        """ConfigError (keyword-only init) round-trips with its evidence."""
        err = errkit.ConfigError("bad", file="f.toml", key="modules.a", value=[1])
        back = pickle.loads(pickle.dumps(err, protocol))
        assert (str(back), back.file, back.key, back.value) == (
            "bad",
            "f.toml",
            "modules.a",
            [1],
        )

    def test_registry_error_pickles(self) -> None:
        """RegistryError subclasses round-trip."""
        err = errkit.DuplicateCodeError("error code a:1 is claimed twice")
        back = pickle.loads(pickle.dumps(err))
        assert (type(back), str(back)) == (errkit.DuplicateCodeError, str(err))
