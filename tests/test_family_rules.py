"""The family link's rules: codes that cannot be guessed or misread, the in-memory share box."""

from __future__ import annotations

import pytest

from bot import family


class TestCodes:
    def test_codes_are_random_digits_that_can_be_read_aloud(self) -> None:
        """Eight digits, random, shown in two groups of four."""
        codes = {family.new_code() for _ in range(500)}
        assert len(codes) == 500
        for code in codes:
            assert len(code) == family.CODE_LENGTH == 8
            assert code.isdigit()
        assert family.display_code("38251907") == "3825 1907"

    @pytest.mark.parametrize(
        "typed", ["38251907", "3825 1907", "3825-1907", " 3825  1907 ", "３８２５１９０７"]
    )
    def test_what_people_type_is_normalized(self, typed: str) -> None:
        """Spaces, dashes and full-width digits are what people type; the code is the same."""
        assert family.normalize_code(typed) == "38251907"

    @pytest.mark.parametrize("typed", ["", "3825190", "382519077", "3825190A", "你好你好你好你好"])
    def test_things_that_cannot_be_a_code(self, typed: str) -> None:
        """Wrong length or anything but digits is not a code."""
        assert family.normalize_code(typed) is None

    def test_only_the_hash_is_kept_and_it_is_stable(self) -> None:
        """The stored hash is stable and does not contain the code."""
        assert family.code_hash("38251907") == family.code_hash("38251907")
        assert "38251907" not in family.code_hash("38251907")


class TestShareBox:
    def test_a_text_can_be_taken_once_by_its_senior_before_it_expires(self) -> None:
        box = family.ShareBox(ttl=600)
        token = box.put(1, "可疑消息", now=0)
        assert box.take(token, 2, now=1) is None  # someone else's press
        assert box.take(token, 1, now=1) == "可疑消息"
        assert box.take(token, 1, now=2) is None  # once only
        late = box.put(1, "另一条", now=0)
        assert box.take(late, 1, now=601) is None
        assert len(box) == 0

    def test_capacity_and_forget(self) -> None:
        box = family.ShareBox(ttl=600, capacity=3)
        tokens = [box.put(1, f"m{i}", now=i) for i in range(5)]
        assert len(box) == 3 and box.take(tokens[0], 1, now=5) is None
        box.forget(1)
        assert len(box) == 0

    def test_throttle(self) -> None:
        throttle = family.Throttle(300)
        assert throttle.allow(1, 0) and not throttle.allow(1, 299) and throttle.allow(1, 300)
        assert throttle.allow(2, 1)
