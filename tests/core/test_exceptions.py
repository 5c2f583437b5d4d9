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

    def test_registry_error_pickles_with_evidence(self) -> None:
        """A registry error round-trips with its evidence attributes."""
        reg = errkit.Registry()
        reg.add_module("a", 1, 9)
        with pytest.raises(errkit.RangeOverlapError) as info:
            reg.add_module("b", 5, 20)
        back = pickle.loads(pickle.dumps(info.value))
        assert (type(back), str(back)) == (errkit.RangeOverlapError, str(info.value))
        assert (back.new.name, back.existing.name) == ("b", "a")


class TestEvidence:
    def test_overlap(self) -> None:
        """RangeOverlapError names the new and the existing range."""
        reg = errkit.Registry()
        existing = reg.add_module("a", 1, 9)
        with pytest.raises(errkit.RangeOverlapError) as info:
            reg.add_module("b", 5, 20)
        assert info.value.existing is existing
        assert (info.value.new.name, info.value.new.start) == ("b", 5)

    def test_duplicate_code(self) -> None:
        """DuplicateCodeError carries both registrations."""
        reg = errkit.Registry()
        reg.register(KeyError, "m", 1, "a.py:1")
        with pytest.raises(errkit.DuplicateCodeError) as info:
            reg.register(ValueError, "m", 1, "b.py:2")
        assert (info.value.existing.cls, info.value.new.cls) == (KeyError, ValueError)

    def test_out_of_range(self) -> None:
        """CodeOutOfRangeError carries module, code, range and registration."""
        reg = errkit.Registry()
        mod = reg.add_module("m", 100, 199)
        with pytest.raises(errkit.CodeOutOfRangeError) as info:
            reg.register(KeyError, "m", 250)
        err = info.value
        assert (err.module, err.code, err.range) == ("m", 250, mod)
        assert err.registration is not None
        assert err.registration.cls is KeyError

    def test_check_code_has_no_registration(self) -> None:
        """A code checked without a class has registration None."""
        reg = errkit.Registry()
        reg.reserve(900, 999)
        with pytest.raises(errkit.CodeOutOfRangeError) as info:
            reg.check_code("m", 950)
        assert (info.value.code, info.value.registration) == (950, None)
        assert (info.value.range.start, info.value.range.end) == (900, 999)

    def test_unknown_module_and_invalid_range(self) -> None:
        """UnknownModuleError names the module; InvalidRangeError the value."""
        with pytest.raises(errkit.UnknownModuleError) as unknown:
            errkit.Registry().module("ghost")
        assert unknown.value.module == "ghost"
        with pytest.raises(errkit.InvalidRangeError) as bad:
            errkit.Registry().add_module("m", 9, 1)
        assert bad.value.value == (9, 1)
